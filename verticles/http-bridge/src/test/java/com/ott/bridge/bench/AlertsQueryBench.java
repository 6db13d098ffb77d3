package com.ott.bridge.bench;

import com.ott.bridge.BridgeVerticle;
import com.ott.contract.Addresses;
import com.ott.contract.ApiKeyHash;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.runtime.Postgres;
import com.ott.store.alerts.AlertQueryBench;
import com.ott.store.alerts.AlertsVerticle;
import com.ott.testkit.TestEnvironment;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The GraphQL alerts query (first 100, filtered) with a million alerts stored (scripts/bench-bridge --query): the
 * real alert store on PostgreSQL and the bridge in one process, the query sent over HTTP by one client, one at a
 * time, as a dashboard pages through alerts. The alerts are inserted once per database by the store's own
 * {@link AlertQueryBench} (tenant {@value #TENANT}, kept for the next run), which also prints the SQL's share.
 * API keys are resolved by an in-process stand-in for tenancy. Lives with the tests: it needs the store module.
 */
public final class AlertsQueryBench {
  static final String TENANT = "bench-graphql-alerts";
  private static final String KEY = "ott_bench_" + UUID.randomUUID();
  private static final String QUERY = """
      query($filter: AlertFilter, $after: String) {
        alerts(first: 100, after: $after, filter: $filter) {
          edges { cursor node { id ruleId severity status count firstSeenAt lastSeenAt } }
          pageInfo { hasNextPage endCursor }
        }
      }""";

  private AlertsQueryBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>(Map.of("--alerts", "1000000", "--runs", "500", "--warmup", "50"));
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println("usage: AlertsQueryBench --pg-url URL [--alerts N] [--runs N] [--warmup N]");
        return;
      }
      if (!List.of("--pg-url", "--alerts", "--runs", "--warmup").contains(args[i]) || i + 1 >= args.length) {
        System.err.println("unknown or incomplete option " + args[i] + " (see --help)");
        System.exit(2);
      }
      opts.put(args[i], args[++i]);
    }
    String url = opts.getOrDefault("--pg-url", System.getenv("OTT_PG_URL"));
    if (url == null || url.isBlank()) {
      System.err.println("--pg-url (or OTT_PG_URL) is required: a scratch database");
      System.exit(2);
    }
    int status = 0;
    try {
      run(url, Integer.parseInt(opts.get("--alerts")), Integer.parseInt(opts.get("--runs")),
          Integer.parseInt(opts.get("--warmup")));
    } catch (Exception e) {
      System.err.println("bench failed: " + e);
      status = 1;
    }
    System.exit(status);
  }

  private static void run(String url, int alerts, int runs, int warmup) throws Exception {
    ensureAlerts(url, alerts, runs, warmup);

    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("OTT_PG_URL", url);
    env.put("OTT_KAFKA_BOOTSTRAP", "");
    env.put("OTT_CLUSTER_ENABLED", "false");
    env.put("OTT_ENCRYPTION_ENABLED", "false");
    env.put("OTT_RULES_ENABLED", "false");
    env.put("OTT_DEMO_ENABLED", "false");
    env.put("OTT_OPS_PORT", String.valueOf(TestEnvironment.freePort()));
    int port = TestEnvironment.freePort();
    env.put("OTT_HTTP_BRIDGE_PORT", String.valueOf(port));
    env.put("OTT_HTTP_BRIDGE_HOST", "127.0.0.1");
    OttProcess.Running process = OttProcess.start("bench-alerts-query", OttConfig.load(env), List.of(
        Component.of("alerts", AlertsVerticle::new),
        Component.of("http-bridge", BridgeVerticle::new))).await(120, TimeUnit.SECONDS);
    String hash = ApiKeyHash.of(KEY);
    process.vertx().eventBus().<JsonObject>consumer(Addresses.TENANCY_RESOLVE_KEY, m -> {
      if (hash.equals(m.body().getString("keyHash"))) {
        m.reply(new JsonObject().put("tenantId", TENANT).put("keyId", "kbench").put("tier", "ENTERPRISE"));
      } else {
        m.fail(401, "unknown key");
      }
    });

    Vertx clientVertx = Vertx.vertx();
    HttpClient http = clientVertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    Map<String, JsonObject> shapes = new LinkedHashMap<>();
    shapes.put("no filter", null);
    shapes.put("status=OPEN", new JsonObject().put("status", "OPEN"));
    shapes.put("severity=HIGH", new JsonObject().put("severity", "HIGH"));
    shapes.put("rule=captions_missing", new JsonObject().put("ruleId", "captions_missing"));
    shapes.put("status=OPEN rule=geo_restriction", new JsonObject().put("status", "OPEN").put("ruleId", "geo_restriction"));
    shapes.put("status=ACK severity=HIGH rule=vpn", new JsonObject().put("status", "ACKNOWLEDGED").put("severity", "HIGH")
        .put("ruleId", "vpn_playback"));
    shapes.put("status=OPEN sev=LOW rule=kids_ad", new JsonObject().put("status", "OPEN").put("severity", "LOW")
        .put("ruleId", "kids_ad_minutes"));
    System.out.printf(Locale.ROOT, "%nGraphQL alerts(first: 100, filter) over HTTP, %d runs after %d warm-up runs, one at a time%n",
        runs, warmup);
    System.out.printf(Locale.ROOT, "%-36s %6s %9s %9s %9s%n", "query", "items", "p50 ms", "p99 ms", "max ms");
    for (Map.Entry<String, JsonObject> shape : shapes.entrySet()) {
      measure(http, shape.getKey(), shape.getValue(), null, runs, warmup);
      if (shape.getKey().equals("status=OPEN")) {
        // a later page: after the cursor of the 10th page
        String after = null;
        for (int page = 0; page < 10; page++) {
          after = query(http, shape.getValue(), after).getJsonObject("pageInfo").getString("endCursor");
        }
        measure(http, "status=OPEN, page 11 (after cursor)", shape.getValue(), after, runs, warmup);
      }
    }
    System.out.println("\nlatency = request sent -> whole response read by the client (bridge, alert store on the bus, "
        + "PostgreSQL, all on this machine)");
    clientVertx.close().await(30, TimeUnit.SECONDS);
    process.close().await(60, TimeUnit.SECONDS);
  }

  private static void measure(HttpClient http, String name, JsonObject filter, String after, int runs, int warmup)
      throws Exception {
    int items = 0;
    for (int i = 0; i < warmup; i++) {
      items = query(http, filter, after).getJsonArray("edges").size();
    }
    long[] nanos = new long[runs];
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      query(http, filter, after);
      nanos[i] = System.nanoTime() - t;
    }
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "%-36s %6d %9.2f %9.2f %9.2f%n", name, items,
        nanos[(int) Math.ceil(runs * 0.50) - 1] / 1e6, nanos[(int) Math.ceil(runs * 0.99) - 1] / 1e6, nanos[runs - 1] / 1e6);
  }

  private static JsonObject query(HttpClient http, JsonObject filter, String after) throws Exception {
    JsonObject variables = new JsonObject().put("filter", filter).put("after", after);
    Buffer body = new JsonObject().put("query", QUERY).put("variables", variables).toBuffer();
    JsonObject answer = http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/graphql")
            .putHeader("content-type", "application/json").putHeader("x-api-key", KEY))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + b);
          }
          return b.toJsonObject();
        }))
        .await(60, TimeUnit.SECONDS);
    JsonArray errors = answer.getJsonArray("errors");
    if (errors != null && !errors.isEmpty()) {
      throw new IllegalStateException("GraphQL errors: " + errors.encode());
    }
    return answer.getJsonObject("data").getJsonObject("alerts");
  }

  /** The benchmark tenant has exactly {@code alerts} alerts, inserted by the store's bench, which prints SQL figures. */
  private static void ensureAlerts(String url, int alerts, int runs, int warmup) throws Exception {
    Vertx vertx = Vertx.vertx();
    long count;
    try {
      Postgres.migrate(vertx, url, "store").await(120, TimeUnit.SECONDS);
      Pool pool = Postgres.pool(vertx, url, 1);
      count = pool.preparedQuery("SELECT count(*) FROM alerts WHERE tenant_id = $1").execute(Tuple.of(TENANT))
          .await(10, TimeUnit.MINUTES).iterator().next().getLong(0);
      if (count != alerts && count > 0) {
        pool.preparedQuery("DELETE FROM alerts WHERE tenant_id = $1").execute(Tuple.of(TENANT)).await(30, TimeUnit.MINUTES);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    List<String> args = new ArrayList<>(List.of("--pg-url", url, "--tenant", TENANT, "--keep",
        "--runs", String.valueOf(runs), "--warmup", String.valueOf(warmup)));
    args.addAll(List.of("--alerts", count == alerts ? "0" : String.valueOf(alerts)));
    System.out.println(count == alerts ? "reusing the " + alerts + " alerts of tenant " + TENANT
        : "inserting " + alerts + " alerts for tenant " + TENANT + " (kept for the next run)");
    System.out.println("SQL alone (the store's AlertQueryBench, the repository's query without the bus or GraphQL):");
    AlertQueryBench.main(args.toArray(new String[0]));
  }
}
