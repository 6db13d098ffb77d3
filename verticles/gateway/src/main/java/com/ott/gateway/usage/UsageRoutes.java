package com.ott.gateway.usage;

import com.ott.contract.Failures;
import com.ott.contract.TenancyAddresses;
import com.ott.gateway.circuit.CircuitOpen;
import com.ott.gateway.circuit.Downstream;
import com.ott.gateway.ratelimit.ProblemReply;
import com.ott.gateway.versions.ApiVersion;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v2/usage?from=YYYY-MM-DD&to=YYYY-MM-DD} (default: this month so far, UTC; at most 366 days) and
 * {@code GET /api/v2/invoices?month=YYYY-MM} (default: the stored history and this month's draft) for the
 * authenticated tenant (the same under v3). Bad parameters are 400 problem documents listing each one under
 * {@code invalidParams}.
 */
public final class UsageRoutes {
  private static final int MAX_DAYS = 366;
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

  private final Downstream downstream;
  private final DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(15_000);

  private UsageRoutes(Downstream downstream) {
    this.downstream = downstream;
  }

  public static void mount(Router router, Handler<RoutingContext> auth, Vertx vertx) {
    mount(router, auth, vertx, List.of());
  }

  /** As {@link #mount(Router, Handler, Vertx)}, with handlers that run after {@code auth} (rate limit, meter). */
  public static void mount(Router router, Handler<RoutingContext> auth, Vertx vertx, List<Handler<RoutingContext>> afterAuth) {
    mount(router, auth, Downstream.shared(vertx), afterAuth);
  }

  /** As {@link #mount(Router, Handler, Vertx, List)}, asking tenancy through {@code downstream}. */
  public static void mount(Router router, Handler<RoutingContext> auth, Downstream downstream,
      List<Handler<RoutingContext>> afterAuth) {
    UsageRoutes routes = new UsageRoutes(downstream);
    for (ApiVersion version : ApiVersion.CURRENT_AND_PREVIEW) {
      Route usage = router.get(version.path("/usage")).handler(auth);
      Route invoices = router.get(version.path("/invoices")).handler(auth);
      for (Handler<RoutingContext> h : afterAuth) {
        usage.handler(h);
        invoices.handler(h);
      }
      usage.handler(routes::usage);
      invoices.handler(routes::invoices);
    }
  }

  private void usage(RoutingContext ctx) {
    JsonArray invalid = new JsonArray();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate from = date(ctx, "from", today.withDayOfMonth(1), invalid);
    LocalDate to = date(ctx, "to", today, invalid);
    if (invalid.isEmpty()) {
      if (to.isBefore(from)) {
        invalid.add(param("to", "must not be before from (" + from + ")"));
      } else if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
        invalid.add(param("to", "a range is at most " + MAX_DAYS + " days"));
      }
    }
    if (!invalid.isEmpty()) {
      badRequest(ctx, invalid);
      return;
    }
    ask(ctx, TenancyAddresses.USAGE, new JsonObject().put("tenantId", ctx.<String>get("tenantId"))
        .put("from", from.toString()).put("to", to.toString()));
  }

  private void invoices(RoutingContext ctx) {
    JsonArray invalid = new JsonArray();
    JsonObject request = new JsonObject().put("tenantId", ctx.<String>get("tenantId"));
    String raw = single(ctx, "month", invalid);
    if (raw != null) {
      YearMonth month = null;
      if (MONTH.matcher(raw).matches()) {
        try {
          month = YearMonth.parse(raw);
        } catch (DateTimeParseException e) {
          month = null;
        }
      }
      if (month == null) {
        invalid.add(param("month", "a month YYYY-MM"));
      } else if (month.isAfter(YearMonth.now(ZoneOffset.UTC))) {
        invalid.add(param("month", "must not be after the current month"));
      } else {
        request.put("month", month.toString());
      }
    }
    if (!invalid.isEmpty()) {
      badRequest(ctx, invalid);
      return;
    }
    ask(ctx, TenancyAddresses.INVOICES, request);
  }

  private void ask(RoutingContext ctx, String address, JsonObject request) {
    downstream.<JsonObject>request(address, request, delivery).map(Message::body)
        .onSuccess(reply -> ctx.response().putHeader("content-type", "application/json").end(reply.encode()))
        .onFailure(err -> {
          int status = Failures.statusOf(err);
          if (status >= 500) {
            ctx.response().putHeader("Retry-After", CircuitOpen.retryAfter(err, 2));
            ProblemReply.send(ctx, 503, "usage and billing are unavailable right now, retry later");
          } else {
            ProblemReply.send(ctx, status, err.getMessage());
          }
        });
  }

  private static LocalDate date(RoutingContext ctx, String name, LocalDate absent, JsonArray invalid) {
    String raw = single(ctx, name, invalid);
    if (raw == null) {
      return absent;
    }
    if (DATE.matcher(raw).matches()) {
      try {
        return LocalDate.parse(raw);
      } catch (DateTimeParseException e) {
        // falls through to the message below
      }
    }
    invalid.add(param(name, "a date YYYY-MM-DD"));
    return absent;
  }

  private static String single(RoutingContext ctx, String name, JsonArray invalid) {
    List<String> values = ctx.queryParam(name);
    if (values.isEmpty() || (values.size() == 1 && values.get(0).isEmpty())) {
      return null;
    }
    if (values.size() > 1) {
      invalid.add(param(name, "given more than once"));
      return null;
    }
    return values.get(0).trim();
  }

  private static JsonObject param(String name, String reason) {
    return new JsonObject().put("name", name).put("reason", reason);
  }

  private static void badRequest(RoutingContext ctx, JsonArray invalid) {
    StringBuilder detail = new StringBuilder();
    for (int i = 0; i < invalid.size(); i++) {
      JsonObject p = invalid.getJsonObject(i);
      detail.append(i == 0 ? "" : "; ").append(p.getString("name")).append(": ").append(p.getString("reason"));
    }
    ProblemReply.send(ctx, 400, "Bad Request", detail.toString(), new JsonObject().put("invalidParams", invalid));
  }
}
