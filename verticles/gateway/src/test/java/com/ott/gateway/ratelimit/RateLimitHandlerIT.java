package com.ott.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.Addresses;
import com.ott.contract.TenancyAddresses;
import com.ott.gateway.usage.UsageMeter;
import com.ott.gateway.usage.UsageRoutes;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.tenancy.TenancyVerticle;
import com.ott.testkit.TestEnvironment;
import com.ott.testkit.TestServices;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rate-limit and quota handler, the usage and invoice routes and API-call metering in front of trivial
 * handlers, against real Redis and a real tenancy verticle on PostgreSQL (shipped tiers: FREE 5/s, burst 10,
 * 100000 events and 50000 API calls a month as hard quotas).
 */
class RateLimitHandlerIT {
  private static OttProcess.Running process;
  private static Vertx vertx;
  private static HttpServer server;
  private static HttpServer offlineServer;
  private static WebClient client;
  private static UsageMeter meter;

  /** Stands in for ApiKeyAuth: the tenant comes from a test header. */
  private static final Handler<RoutingContext> AUTH = ctx -> {
    String tenant = ctx.request().getHeader("x-test-tenant");
    if (tenant == null) {
      ProblemReply.send(ctx, 401, "no tenant");
      return;
    }
    ctx.put("tenantId", tenant);
    ctx.next();
  };

  private static Router router(RateLimitHandler rateLimit) {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.put("requestId", "req-" + UUID.randomUUID());
      ctx.next();
    });
    Handler<RoutingContext> ok = ctx -> ctx.response().putHeader("content-type", "application/json").end("{\"ok\":true}");
    router.get("/api/v2/alerts").handler(AUTH).handler(rateLimit).handler(meter).handler(ok);
    router.post("/api/v2/events").handler(AUTH).handler(rateLimit).handler(meter).handler(ok);
    UsageRoutes.mount(router, AUTH, vertx, List.of(rateLimit, meter));
    return router;
  }

  @BeforeAll
  static void start() throws Exception {
    process = OttProcess.start("ratelimit-test", OttConfig.load(TestEnvironment.base()),
        List.of(Component.of("tenancy", TenancyVerticle::new))).await(60, TimeUnit.SECONDS);
    vertx = process.vertx();
    meter = new UsageMeter(vertx, 60_000);
    RateLimitHandler shared = new RateLimitHandler(vertx, RateLimiter.create(vertx, TestServices.redisUrl()), 10_000, 0);
    server = vertx.createHttpServer().requestHandler(router(shared)).listen(0).await(10, TimeUnit.SECONDS);
    RateLimitHandler offline = new RateLimitHandler(vertx, RateLimiter.create(vertx, "redis://127.0.0.1:1"), 10_000, 0);
    offlineServer = vertx.createHttpServer().requestHandler(router(offline)).listen(0).await(10, TimeUnit.SECONDS);
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.close().await(20, TimeUnit.SECONDS);
    }
  }

  private static String tenant(String tier) throws Exception {
    return vertx.eventBus().<JsonObject>request(Addresses.TENANCY_CREATE_TENANT,
            new JsonObject().put("name", "rl-" + UUID.randomUUID()).put("tier", tier))
        .await(10, TimeUnit.SECONDS).body().getString("tenantId");
  }

  private static HttpResponse<Buffer> get(String tenant, String uri) throws Exception {
    return get(server, tenant, uri);
  }

  private static HttpResponse<Buffer> get(HttpServer on, String tenant, String uri) throws Exception {
    return client.get(on.actualPort(), "127.0.0.1", uri).putHeader("x-test-tenant", tenant).send().await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> postEvents(String tenant) throws Exception {
    return client.post("/api/v2/events").putHeader("x-test-tenant", tenant).sendBuffer(Buffer.buffer("[]"))
        .await(10, TimeUnit.SECONDS);
  }

  private static void meterUsage(String tenant, JsonObject counts) throws Exception {
    vertx.eventBus().request(TenancyAddresses.METER, counts.put("tenantId", tenant).put("idempotencyKey", UUID.randomUUID().toString()))
        .await(10, TimeUnit.SECONDS);
  }

  private static JsonObject assertProblem(HttpResponse<Buffer> r, int status, String typeSuffix) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).isEqualTo("application/problem+json");
    JsonObject p = r.bodyAsJsonObject();
    assertThat(p.getInteger("status")).isEqualTo(status);
    assertThat(p.getString("type")).endsWith("/" + typeSuffix);
    assertThat(p.getString("requestId")).startsWith("req-");
    return p;
  }

  @Test
  void every_passed_response_carries_rate_limit_headers_and_a_spent_burst_is_a_429_problem_with_retry_after() throws Exception {
    String tenant = tenant("FREE");
    HttpResponse<Buffer> first = get(tenant, "/api/v2/alerts");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader("RateLimit-Limit")).isEqualTo("10");
    assertThat(first.getHeader("RateLimit-Remaining")).isEqualTo("9");
    assertThat(first.getHeader("RateLimit-Reset")).isEqualTo("1");
    assertThat(first.getHeader("RateLimit-Policy")).isEqualTo("10;w=2;rate=5");
    // 30 at once against a bucket of 10 refilled at 5/s
    List<io.vertx.core.Future<HttpResponse<Buffer>>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(client.get("/api/v2/alerts").putHeader("x-test-tenant", tenant).send());
    }
    io.vertx.core.Future.all(all).await(30, TimeUnit.SECONDS);
    List<HttpResponse<Buffer>> responses = all.stream().map(io.vertx.core.Future::result).toList();
    assertThat(responses).allSatisfy(r -> {
      assertThat(r.getHeader("RateLimit-Limit")).isEqualTo("10");
      assertThat(Long.parseLong(r.getHeader("RateLimit-Remaining"))).isBetween(0L, 9L);
    });
    assertThat(responses.stream().filter(r -> r.statusCode() == 200).count()).isBetween(9L, 20L);
    HttpResponse<Buffer> refused = responses.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    JsonObject problem = assertProblem(refused, 429, "too-many-requests");
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    assertThat(refused.getHeader("RateLimit-Remaining")).isEqualTo("0");
    assertThat(problem.getString("tier")).isEqualTo("FREE");
    assertThat(problem.getString("detail")).contains("5 requests per second");
    assertThat(refused.bodyAsString()).doesNotContain("Exception");
  }

  @Test
  void a_tier_change_applies_to_the_next_requests() throws Exception {
    String tenant = tenant("FREE");
    assertThat(get(tenant, "/api/v2/alerts").getHeader("RateLimit-Limit")).isEqualTo("10");
    vertx.eventBus().request(TenancyAddresses.CHANGE_TIER, new JsonObject().put("tenantId", tenant).put("tier", "ENTERPRISE"))
        .await(10, TimeUnit.SECONDS);
    String limit = null;
    for (int i = 0; i < 50 && !"2000".equals(limit); i++) {
      limit = get(tenant, "/api/v2/alerts").getHeader("RateLimit-Limit");
    }
    // the tier cache lives 10 s: only the invalidation published by tenancy can have refreshed it this fast
    assertThat(limit).isEqualTo("2000");
  }

  @Test
  void a_used_up_hard_quota_refuses_that_use_until_the_month_ends() throws Exception {
    String tenant = tenant("FREE");
    assertThat(postEvents(tenant).statusCode()).isEqualTo(200);
    meterUsage(tenant, new JsonObject().put("eventsAccepted", 100_000));
    HttpResponse<Buffer> events = postEvents(tenant);
    JsonObject problem = assertProblem(events, 429, "monthly-quota-exceeded");
    assertThat(problem.getString("quota")).isEqualTo("eventsPerMonth");
    assertThat(problem.getLong("limit")).isEqualTo(100_000);
    assertThat(problem.getString("resetsAt")).isEqualTo(YearMonth.now(ZoneOffset.UTC).plusMonths(1).atDay(1) + "T00:00Z");
    long retryAfter = Long.parseLong(events.getHeader("Retry-After"));
    assertThat(retryAfter).isBetween(1L, 31L * 24 * 3600);
    assertThat(events.getHeader("RateLimit-Limit")).isEqualTo("10");
    // the events quota does not stop other calls
    assertThat(get(tenant, "/api/v2/alerts").statusCode()).isEqualTo(200);

    meterUsage(tenant, new JsonObject().put("apiCalls", 50_000));
    assertThat(assertProblem(get(tenant, "/api/v2/alerts"), 429, "monthly-quota-exceeded").getString("quota"))
        .isEqualTo("apiCallsPerMonth");
    // a blocked tenant can still see why
    assertThat(get(tenant, "/api/v2/usage").statusCode()).isEqualTo(200);
    assertThat(get(tenant, "/api/v2/invoices").statusCode()).isEqualTo(200);
  }

  @Test
  void quotas_with_an_overage_price_are_billed_not_refused() throws Exception {
    String tenant = tenant("STANDARD");
    meterUsage(tenant, new JsonObject().put("eventsAccepted", 6_000_000).put("apiCalls", 2_000_000));
    assertThat(postEvents(tenant).statusCode()).isEqualTo(200);
    JsonObject invoices = get(tenant, "/api/v2/invoices").bodyAsJsonObject();
    JsonObject draft = invoices.getJsonArray("invoices").getJsonObject(0);
    assertThat(draft.getString("status")).isEqualTo("draft");
    assertThat(draft.getJsonArray("lines").stream().map(l -> ((JsonObject) l).getString("kind"))).contains("overage");
  }

  @Test
  void without_redis_requests_are_still_answered_and_limited_per_instance() throws Exception {
    String tenant = tenant("FREE");
    int ok = 0;
    int refused = 0;
    for (int i = 0; i < 14; i++) {
      HttpResponse<Buffer> r = get(offlineServer, tenant, "/api/v2/alerts");
      assertThat(r.getHeader("RateLimit-Limit")).isEqualTo("10");
      if (r.statusCode() == 200) {
        ok++;
      } else {
        assertProblem(r, 429, "too-many-requests");
        refused++;
      }
    }
    assertThat(ok).isBetween(10, 12);
    assertThat(refused).isPositive();
  }

  @Test
  void an_unknown_tenant_is_refused() throws Exception {
    assertProblem(get("t-" + UUID.randomUUID(), "/api/v2/alerts"), 403, "forbidden");
  }

  @Test
  void usage_and_invoice_parameters_are_validated_with_problem_documents() throws Exception {
    String tenant = tenant("PREMIUM");
    JsonObject bad = assertProblem(get(tenant, "/api/v2/usage?from=2026-02-30&to=yesterday"), 400, "bad-request");
    assertThat(bad.getJsonArray("invalidParams")).containsExactly(
        new JsonObject().put("name", "from").put("reason", "a date YYYY-MM-DD"),
        new JsonObject().put("name", "to").put("reason", "a date YYYY-MM-DD"));
    assertThat(assertProblem(get(tenant, "/api/v2/usage?from=2026-03-10&to=2026-03-01"), 400, "bad-request").getString("detail"))
        .contains("to: must not be before from");
    assertThat(assertProblem(get(tenant, "/api/v2/usage?from=2025-01-01&to=2026-03-01"), 400, "bad-request").getString("detail"))
        .contains("at most 366 days");
    assertThat(assertProblem(get(tenant, "/api/v2/usage?from=2026-01-01&from=2026-01-02"), 400, "bad-request").getString("detail"))
        .contains("given more than once");
    assertProblem(get(tenant, "/api/v2/invoices?month=2026-13"), 400, "bad-request");
    assertProblem(get(tenant, "/api/v2/invoices?month=2999-01"), 400, "bad-request");
    assertProblem(get(tenant, "/api/v2/invoices?month=2020-01"), 404, "not-found");

    HttpResponse<Buffer> usage = get(tenant, "/api/v2/usage");
    assertThat(usage.statusCode()).isEqualTo(200);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    assertThat(usage.bodyAsJsonObject().getString("from")).isEqualTo(today.withDayOfMonth(1).toString());
    assertThat(usage.bodyAsJsonObject().getJsonArray("days")).hasSize(today.getDayOfMonth());
    HttpResponse<Buffer> month = get(tenant, "/api/v2/invoices?month=" + YearMonth.now(ZoneOffset.UTC));
    assertThat(month.bodyAsJsonObject().getJsonArray("invoices").getJsonObject(0).getString("status")).isEqualTo("draft");
  }

  @Test
  void api_calls_and_event_batches_are_metered_once() throws Exception {
    String tenant = tenant("PREMIUM");
    for (int i = 0; i < 3; i++) {
      assertThat(get(tenant, "/api/v2/alerts").statusCode()).isEqualTo(200);
    }
    meter.flush().await(10, TimeUnit.SECONDS);
    JsonObject batch = new JsonObject().put("accepted", 3).put("stored", 2).put("duplicates", 1)
        .put("rejected", new JsonArray().add(new JsonObject().put("index", 3)));
    meter.recordBatch(tenant, batch, 400);
    // the same batch again: nothing new is stored, so no event is counted again
    JsonObject replay = batch.copy().put("stored", 0).put("duplicates", 3);
    meter.recordBatch(tenant, replay, 400);
    meter.flush().await(10, TimeUnit.SECONDS);

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    JsonObject totals = get(tenant, "/api/v2/usage?from=" + today + "&to=" + today).bodyAsJsonObject().getJsonObject("totals");
    assertThat(totals.getLong("apiCalls")).isEqualTo(3);
    assertThat(totals.getLong("eventsAccepted")).isEqualTo(2);
    assertThat(totals.getLong("eventsRejected")).isEqualTo(2);
    assertThat(totals.getLong("bytesStored")).isEqualTo(200);
    // the usage call itself is counted at the next flush
    meter.flush().await(10, TimeUnit.SECONDS);
    assertThat(get(tenant, "/api/v2/usage?from=" + today + "&to=" + today).bodyAsJsonObject().getJsonObject("totals")
        .getLong("apiCalls")).isEqualTo(4);
  }
}
