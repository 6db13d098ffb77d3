package com.ott.gateway.alerts;

import com.ott.contract.AlertAddresses;
import com.ott.contract.Failures;
import com.ott.gateway.Problems;
import com.ott.gateway.Role;
import com.ott.gateway.TenantGuards;
import com.ott.gateway.circuit.CircuitOpen;
import com.ott.gateway.circuit.Downstream;
import com.ott.gateway.versions.ApiVersion;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts and reports REST API ({@code /api/v2/alerts}, {@code /api/v2/reports/compliance}):
 * checks every parameter, then asks the alerts verticle over the bus ({@link AlertAddresses})
 * on behalf of the caller's tenant. A bad parameter is a 400 problem document whose
 * {@code invalidParams} lists each field and why; another tenant's alert is a 404. Acknowledging
 * and resolving need the role analyst.
 *
 * <p>Versions: v3 serves the same, with lists as {@code {data, page: {limit, nextCursor, hasMore}}};
 * the deprecated v1 serves the alerts (not reports) and pages lists by {@code offset} and {@code limit}
 * ({@code {items, offset, limit}} and a {@code Link rel="next"}), at most {@value #MAX_OFFSET} deep.
 */
public final class AlertRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(AlertRoutes.class);
  /** Where the auth handler leaves the caller's tenant (ApiKeyAuth). */
  static final String TENANT = "tenantId";
  /** Where an auth handler may leave the id of the API key, the actor of an ack or resolve. */
  static final String KEY_ID = "keyId";
  /** Where an auth handler may leave who acts (an API key id or a JWT subject); preferred to the key id. */
  static final String ACTOR = "actor";
  static final String DEFAULT_ACTOR = "api-key";
  static final int MAX_NOTE = 2000;
  static final int MAX_LIMIT = 500;
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_CURSOR = 256;
  /** v1 offset pagination walks the cursor pages from the start: bounded. */
  static final int MAX_OFFSET = 10_000;
  static final Duration MAX_PERIOD = Duration.ofDays(366);
  private static final long BODY_LIMIT = 64 * 1024;
  private static final long LIST_TIMEOUT_MS = 15_000;
  private static final long REPORT_TIMEOUT_MS = 60_000;
  private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern LIMIT = Pattern.compile("[0-9]{1,4}");
  private static final Pattern OFFSET = Pattern.compile("[0-9]{1,5}");
  private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_CURSOR + "}");
  private static final Pattern ALERT_ID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Set<String> STATUSES = Set.of("OPEN", "ACKNOWLEDGED", "RESOLVED");
  private static final Set<String> SEVERITIES = Set.of("LOW", "MEDIUM", "HIGH");
  // bus field names in "<field>: <reason>" failures, as the HTTP parameters are called
  private static final Map<String, String> PARAM_OF_FIELD = Map.of("status", "status", "severity", "severity",
      "ruleId", "rule", "from", "from", "to", "to", "limit", "limit", "cursor", "cursor", "note", "note", "format", "format");

  private final Downstream downstream;

  private AlertRoutes(Downstream downstream) {
    this.downstream = downstream;
  }

  /**
   * Adds the routes. {@code auth} must put the tenant id in the context under {@code "tenantId"}
   * (and may put the API key id under {@code "keyId"}). POST routes read their body with a
   * BodyHandler placed before {@code auth} on the same route, as Vert.x Web 5 requires.
   */
  public static void mount(Router router, Handler<RoutingContext> auth, Vertx vertx) {
    mount(router, TenantGuards.of(auth), vertx);
  }

  /** As {@link #mount(Router, Handler, Vertx)}, with every tenant guard (auth, rate limit, metering). */
  public static void mount(Router router, TenantGuards guards, Vertx vertx) {
    mount(router, guards, Downstream.shared(vertx));
  }

  /** As {@link #mount(Router, TenantGuards, Vertx)}, asking the alerts verticle through {@code downstream}. */
  public static void mount(Router router, TenantGuards guards, Downstream downstream) {
    AlertRoutes routes = new AlertRoutes(downstream);
    for (ApiVersion version : ApiVersion.values()) {
      guards.on(router.get(version.path("/alerts"))).handler(ctx -> routes.list(ctx, version)).failureHandler(AlertRoutes::failed);
      guards.on(router.get(version.path("/alerts/:id"))).handler(routes::get).failureHandler(AlertRoutes::failed);
      guards.on(router.post(version.path("/alerts/:id/ack"))
          .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)), Role.ANALYST)
          .handler(ctx -> routes.transition(ctx, AlertAddresses.ACK))
          .failureHandler(AlertRoutes::failed);
      guards.on(router.post(version.path("/alerts/:id/resolve"))
          .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)), Role.ANALYST)
          .handler(ctx -> routes.transition(ctx, AlertAddresses.RESOLVE))
          .failureHandler(AlertRoutes::failed);
    }
    for (ApiVersion version : ApiVersion.CURRENT_AND_PREVIEW) {
      guards.on(router.get(version.path("/reports/compliance"))).handler(routes::report).failureHandler(AlertRoutes::failed);
    }
  }

  // ---- handlers ----

  private void list(RoutingContext ctx, ApiVersion version) {
    Params p = Params.of(ctx);
    if (p == null) {
      return;
    }
    JsonObject request = filters(ctx, p);
    int limit = limit(p);
    if (version == ApiVersion.V1) {
      int offset = offset(p);
      if (!p.refused()) {
        listByOffset(ctx, request, offset, limit);
      }
      return;
    }
    request.put("limit", limit);
    String cursor = p.single("cursor");
    if (cursor != null) {
      if (CURSOR.matcher(cursor).matches()) {
        request.put("cursor", cursor);
      } else {
        p.invalid("cursor", "not a cursor returned by this API");
      }
    }
    if (p.refused()) {
      return;
    }
    downstream.<JsonObject>request(AlertAddresses.LIST, request, new DeliveryOptions().setSendTimeout(LIST_TIMEOUT_MS))
        .onSuccess(reply -> json(ctx, 200, version == ApiVersion.V3 ? page(reply.body(), limit) : reply.body()))
        .onFailure(err -> busFailed(ctx, err));
  }

  /** The tenant and the filters of a list request: status, severity, rule, from, to. */
  private static JsonObject filters(RoutingContext ctx, Params p) {
    JsonObject request = new JsonObject().put("tenantId", ctx.<String>get(TENANT));
    String status = p.single("status");
    if (status != null) {
      String s = status.toUpperCase(Locale.ROOT);
      if (STATUSES.contains(s)) {
        request.put("status", s);
      } else {
        p.invalid("status", "one of OPEN, ACKNOWLEDGED, RESOLVED");
      }
    }
    String severity = p.single("severity");
    if (severity != null) {
      String s = severity.toUpperCase(Locale.ROOT);
      if (SEVERITIES.contains(s)) {
        request.put("severity", s);
      } else {
        p.invalid("severity", "one of LOW, MEDIUM, HIGH");
      }
    }
    String rule = p.single("rule");
    if (rule != null) {
      if (RULE_ID.matcher(rule).matches()) {
        request.put("ruleId", rule);
      } else {
        p.invalid("rule", "a rule id: 1 to 128 letters, digits, '.', '_', ':' or '-'");
      }
    }
    Instant from = p.time("from", false);
    Instant to = p.time("to", false);
    if (from != null && to != null && !to.isAfter(from)) {
      p.invalid("to", "must be after from");
    }
    if (from != null) {
      request.put("from", from.toString());
    }
    if (to != null) {
      request.put("to", to.toString());
    }
    return request;
  }

  private static int limit(Params p) {
    String limit = p.single("limit");
    int n = DEFAULT_LIMIT;
    if (limit != null) {
      n = LIMIT.matcher(limit).matches() ? Integer.parseInt(limit) : -1;
      if (n < 1 || n > MAX_LIMIT) {
        p.invalid("limit", "an integer from 1 to " + MAX_LIMIT);
      }
    }
    return n;
  }

  private static int offset(Params p) {
    String offset = p.single("offset");
    int n = offset == null ? 0 : OFFSET.matcher(offset).matches() ? Integer.parseInt(offset) : -1;
    if (n < 0 || n > MAX_OFFSET) {
      p.invalid("offset", "an integer from 0 to " + MAX_OFFSET);
    }
    return n;
  }

  /** v3: {@code {data: [alert...], page: {limit, nextCursor, hasMore}}}. */
  static JsonObject page(JsonObject reply, int limit) {
    String next = reply.getString("nextCursor");
    return new JsonObject().put("data", reply.getJsonArray("items", new JsonArray()))
        .put("page", new JsonObject().put("limit", limit).put("nextCursor", next).put("hasMore", next != null));
  }

  /**
   * v1: the alerts from {@code offset} on, walking the cursor pages of the bus API from the newest (one alert more
   * than asked, to know whether a next page exists): {@code {items, offset, limit}} and {@code Link rel="next"}.
   */
  private void listByOffset(RoutingContext ctx, JsonObject filters, int offset, int limit) {
    collect(filters, offset + limit + 1, new JsonArray(), null)
        .onSuccess(all -> {
          List<Object> items = all.size() <= offset ? List.of() : all.getList().subList(offset, Math.min(all.size(), offset + limit));
          if (all.size() > offset + limit) {
            String existing = ctx.response().headers().get("Link");
            String next = "<" + offsetLink(ctx, offset + limit, limit) + ">; rel=\"next\"";
            ctx.response().putHeader("Link", existing == null ? next : existing + ", " + next);
          }
          json(ctx, 200, new JsonObject().put("items", new JsonArray(new ArrayList<>(items)))
              .put("offset", offset).put("limit", limit));
        })
        .onFailure(err -> busFailed(ctx, err));
  }

  private Future<JsonArray> collect(JsonObject filters, int wanted, JsonArray collected, String cursor) {
    JsonObject request = filters.copy().put("limit", Math.min(MAX_LIMIT, wanted - collected.size()));
    if (cursor != null) {
      request.put("cursor", cursor);
    }
    return downstream.<JsonObject>request(AlertAddresses.LIST, request, new DeliveryOptions().setSendTimeout(LIST_TIMEOUT_MS))
        .map(Message::body)
        .compose(page -> {
          collected.addAll(page.getJsonArray("items", new JsonArray()));
          String next = page.getString("nextCursor");
          return next == null || collected.size() >= wanted ? Future.succeededFuture(collected) : collect(filters, wanted, collected, next);
        });
  }

  private static String offsetLink(RoutingContext ctx, int offset, int limit) {
    StringBuilder uri = new StringBuilder(ctx.request().path()).append("?offset=").append(offset).append("&limit=").append(limit);
    for (var e : ctx.queryParams()) {
      if (!e.getKey().equals("offset") && !e.getKey().equals("limit")) {
        uri.append('&').append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
            .append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      }
    }
    return uri.toString();
  }

  private void get(RoutingContext ctx) {
    String id = alertId(ctx);
    if (id == null) {
      return;
    }
    JsonObject request = new JsonObject().put("tenantId", ctx.<String>get(TENANT)).put("alertId", id).put("withAudit", true);
    downstream.<JsonObject>request(AlertAddresses.GET, request, new DeliveryOptions().setSendTimeout(LIST_TIMEOUT_MS))
        .onSuccess(reply -> json(ctx, 200, reply.body()))
        .onFailure(err -> busFailed(ctx, err));
  }

  private void transition(RoutingContext ctx, String address) {
    String id = alertId(ctx);
    if (id == null) {
      return;
    }
    String note = null;
    RequestBody body = ctx.body();
    if (body != null && body.length() > 0 && !body.asString().isBlank()) {
      Object parsed;
      try {
        parsed = io.vertx.core.json.Json.decodeValue(body.buffer());
      } catch (RuntimeException e) {
        Problems.send(ctx, 400, "the body must be a JSON object {\"note\": \"...\"} or empty");
        return;
      }
      if (!(parsed instanceof JsonObject json)) {
        Problems.send(ctx, 400, "the body must be a JSON object {\"note\": \"...\"} or empty");
        return;
      }
      Object n = json.getValue("note");
      if (n != null && (!(n instanceof String s) || s.codePointCount(0, s.length()) > MAX_NOTE || s.indexOf('\u0000') >= 0)) {
        invalid(ctx, List.of(param("note", "a text of at most " + MAX_NOTE + " characters")));
        return;
      }
      note = (String) n;
    }
    Object actor = ctx.get(ACTOR) != null ? ctx.get(ACTOR) : ctx.get(KEY_ID);
    JsonObject request = new JsonObject()
        .put("tenantId", ctx.<String>get(TENANT))
        .put("alertId", id)
        .put("actor", actor instanceof String a && !a.isBlank() ? a : DEFAULT_ACTOR)
        .put("note", note);
    downstream.<JsonObject>request(address, request, new DeliveryOptions().setSendTimeout(LIST_TIMEOUT_MS))
        .onSuccess(reply -> json(ctx, 200, reply.body()))
        .onFailure(err -> busFailed(ctx, err));
  }

  private void report(RoutingContext ctx) {
    Params p = Params.of(ctx);
    if (p == null) {
      return;
    }
    Instant from = p.time("from", true);
    Instant to = p.time("to", true);
    if (from != null && to != null) {
      if (!to.isAfter(from)) {
        p.invalid("to", "must be after from");
      } else if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
        p.invalid("to", "the period is at most " + MAX_PERIOD.toDays() + " days");
      }
    }
    String format = p.single("format");
    String f = format == null ? "json" : format.toLowerCase(Locale.ROOT);
    if (!f.equals("json") && !f.equals("csv")) {
      p.invalid("format", "json or csv");
    }
    if (p.refused()) {
      return;
    }
    JsonObject request = new JsonObject().put("tenantId", ctx.<String>get(TENANT))
        .put("from", from.toString()).put("to", to.toString()).put("format", f);
    downstream.request(AlertAddresses.REPORT_COMPLIANCE, request, new DeliveryOptions().setSendTimeout(REPORT_TIMEOUT_MS))
        .onSuccess(reply -> {
          Object body = reply.body();
          if (body instanceof String csv) {
            ctx.response().setStatusCode(200)
                .putHeader("content-type", "text/csv; charset=utf-8; header=present")
                .putHeader("content-disposition", "attachment; filename=\"compliance-report.csv\"")
                .end(csv);
          } else if (body instanceof JsonObject json) {
            json(ctx, 200, json);
          } else {
            Problems.send(ctx, 503, "the report service answered unexpectedly; retry later");
          }
        })
        .onFailure(err -> busFailed(ctx, err));
  }

  // ---- helpers ----

  /** A malformed id names no alert: 404, like an unknown one or another tenant's. */
  private static String alertId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !ALERT_ID.matcher(id).matches()) {
      Problems.send(ctx, 404, "no such alert");
      return null;
    }
    return id.toLowerCase(Locale.ROOT);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  private static JsonObject param(String name, String reason) {
    return new JsonObject().put("name", name).put("reason", reason);
  }

  private static void invalid(RoutingContext ctx, List<JsonObject> params) {
    List<String> names = params.stream().map(p -> p.getString("name")).distinct().toList();
    Problems.send(ctx, 400, "invalid " + String.join(", ", names),
        new JsonObject().put("invalidParams", new JsonArray(new ArrayList<>(params))));
  }

  private static void busFailed(RoutingContext ctx, Throwable err) {
    int status = Failures.statusOf(err);
    if (status >= 500) {
      LOG.warn("alerts request failed downstream: {}", err.getMessage());
      ctx.response().putHeader("Retry-After", CircuitOpen.retryAfter(err, 2));
      Problems.send(ctx, 503, "alerts are unavailable right now; retry later");
      return;
    }
    if (status == 400) {
      // the alerts verticle says "<field>: <reason>; ..."
      List<JsonObject> params = new ArrayList<>();
      for (String part : String.valueOf(err.getMessage()).split("; ")) {
        int colon = part.indexOf(": ");
        String name = colon > 0 ? PARAM_OF_FIELD.get(part.substring(0, colon)) : null;
        if (name != null) {
          params.add(param(name, part.substring(colon + 2)));
        }
      }
      if (!params.isEmpty()) {
        invalid(ctx, params);
        return;
      }
    }
    Problems.send(ctx, status, err.getMessage());
  }

  private static void failed(RoutingContext ctx) {
    int status = ctx.statusCode();
    Throwable failure = ctx.failure();
    if (status == 413) {
      Problems.send(ctx, 413, "the body is at most " + BODY_LIMIT + " bytes");
    } else if (status >= 400 && status < 500) {
      Problems.send(ctx, status, null);
    } else if (failure instanceof IllegalArgumentException) {
      Problems.send(ctx, 400, "malformed request");
    } else {
      LOG.error("alerts route failed: {}", failure == null ? "status " + status : failure.toString());
      Problems.send(ctx, 500, "an unexpected error; it has been logged");
    }
  }

  /** Query parameters read once each, with the problems found so far. */
  private static final class Params {
    private final RoutingContext ctx;
    private final MultiMap params;
    private final Map<String, JsonObject> errors = new LinkedHashMap<>();

    private Params(RoutingContext ctx, MultiMap params) {
      this.ctx = ctx;
      this.params = params;
    }

    /** The parameters, or null after answering 400 when the query string cannot be decoded. */
    static Params of(RoutingContext ctx) {
      try {
        return new Params(ctx, ctx.queryParams());
      } catch (RuntimeException e) {
        Problems.send(ctx, 400, "malformed query string");
        return null;
      }
    }

    /** The value, null when absent or empty; a repeated parameter is refused. */
    String single(String name) {
      List<String> values = params.getAll(name);
      if (values.size() > 1) {
        invalid(name, "given more than once");
        return null;
      }
      String v = values.isEmpty() ? null : values.get(0);
      return v == null || v.isEmpty() ? null : v;
    }

    Instant time(String name, boolean required) {
      String v = single(name);
      if (v == null) {
        if (required && !errors.containsKey(name)) {
          invalid(name, "required, an RFC 3339 timestamp with offset, e.g. 2026-01-31T00:00:00Z");
        }
        return null;
      }
      Instant t = rfc3339(v);
      if (t == null) {
        invalid(name, "an RFC 3339 timestamp with offset, e.g. 2026-01-31T00:00:00Z");
      }
      return t;
    }

    void invalid(String name, String reason) {
      errors.putIfAbsent(name, param(name, reason));
    }

    /** True after answering 400 with every invalid parameter. */
    boolean refused() {
      if (errors.isEmpty()) {
        return false;
      }
      AlertRoutes.invalid(ctx, new ArrayList<>(errors.values()));
      return true;
    }
  }

  static Instant rfc3339(String text) {
    if (text.length() > 64) {
      return null;
    }
    try {
      Instant t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      int year = t.atOffset(ZoneOffset.UTC).getYear();
      return year < 1 || year > 9999 ? null : t;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
