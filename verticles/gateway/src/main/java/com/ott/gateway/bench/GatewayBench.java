package com.ott.gateway.bench;

import com.ott.contract.Addresses;
import com.ott.gateway.GatewayVerticle;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * {@code scripts/bench-gateway}: what the gateway costs. One JVM runs tenancy, store, ingestion and the gateway
 * (as the integration tests do, on the PostgreSQL and Redis of {@code OTT_PG_URL} / {@code OTT_REDIS_URL}), then
 * sends the same small NDJSON batches, a fixed number in flight, down several paths for the same time each: straight
 * to the ingestion address over the bus, over plain HTTP into ingestion (a bare server: body in, ingestion's answer
 * out, none of the gateway's guards), and over HTTP through the whole gateway (authentication, rate limit,
 * metering, version adapter, circuit breaker) with an API key, a JWT, v1's legacy shape and v3. Each path has its own
 * ENTERPRISE tenant (1000 requests/s, bursts of 2000) so no path spends another's rate. The paths take turns in
 * several rounds, so a change of load on the machine during the run weighs on all of them alike. Prints a table.
 */
public final class GatewayBench {
  private static final String JWT_SECRET = "bench-" + UUID.randomUUID() + "-" + UUID.randomUUID();
  /** One gateway instance per core, as the all-in-one process deploys it. */
  private static final int GATEWAY_INSTANCES = Runtime.getRuntime().availableProcessors();

  private final Vertx vertx;
  private final int batchSize;
  private final int concurrency;
  private final String run = Long.toHexString(System.nanoTime());
  private final AtomicLong sequence = new AtomicLong();

  /** One path: how to send a batch of {@code n} events; completes with the HTTP-like status. */
  private record Path(String name, Function<Integer, Future<Integer>> send) {}

  /** What one path did in its measured seconds. */
  private record Result(String name, long batches, long failures, double seconds, Histogram latency) {}

  private GatewayBench(Vertx vertx, int batchSize, int concurrency) {
    this.vertx = vertx;
    this.batchSize = batchSize;
    this.concurrency = concurrency;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = parse(argv);
    if (args.containsKey("help")) {
      System.out.println("GatewayBench [--seconds 15] [--warmup 5] [--batch 10] [--concurrency 8] [--rounds 3]");
      return;
    }
    int seconds = Integer.parseInt(args.getOrDefault("seconds", "15"));
    int warmup = Integer.parseInt(args.getOrDefault("warmup", "5"));
    int batch = Integer.parseInt(args.getOrDefault("batch", "10"));
    int concurrency = Integer.parseInt(args.getOrDefault("concurrency", "8"));
    int rounds = Integer.parseInt(args.getOrDefault("rounds", "3"));

    Map<String, String> env = new HashMap<>(System.getenv());
    int gatewayPort = freePort();
    env.put("OTT_ADMIN_TOKEN", "bench-" + UUID.randomUUID());
    env.put("OTT_CLUSTER_ENABLED", "false");
    env.put("OTT_OPS_PORT", String.valueOf(freePort()));
    env.put("OTT_HTTP_GATEWAY_PORT", String.valueOf(gatewayPort));
    env.put("OTT_HTTP_GATEWAY_HOST", "127.0.0.1");
    env.put("OTT_KAFKA_BOOTSTRAP", "");
    env.put("OTT_DEMO_ENABLED", "false");
    // the paths under test end in the store: no encryption or rules stage in either
    env.put("OTT_ENCRYPTION_ENABLED", "false");
    env.put("OTT_RULES_ENABLED", "false");
    JsonObject config = OttConfig.load(env);
    if (config.getJsonObject("pg").getString("url", "").isBlank() || config.getJsonObject("redis").getString("url", "").isBlank()) {
      System.err.println("GatewayBench needs OTT_PG_URL and OTT_REDIS_URL");
      System.exit(2);
    }
    config.getJsonObject("auth").put("jwtSecret", JWT_SECRET);

    OttProcess.Running process = OttProcess.start("gateway-bench", config, List.of(
        component("tenancy", "com.ott.tenancy.TenancyVerticle"),
        component("store", "com.ott.store.StoreVerticle"),
        component("ingestion", "com.ott.ingestion.IngestionVerticle"),
        new Component("gateway", GatewayVerticle::new, GATEWAY_INSTANCES))).await(2, TimeUnit.MINUTES);
    int status = 0;
    try {
      GatewayBench bench = new GatewayBench(process.vertx(), batch, concurrency);
      List<Path> paths = bench.paths(gatewayPort);
      System.out.printf(Locale.ROOT, "gateway bench: batches of %d events, %d in flight, %d s per path (in %d rounds) after %d s"
          + " of warm-up, %d cores%n", batch, concurrency, seconds, rounds, warmup, Runtime.getRuntime().availableProcessors());
      for (Path p : paths) {
        bench.drive(p, warmup, null);
      }
      List<Result> results = new ArrayList<>();
      for (Path p : paths) {
        results.add(new Result(p.name(), 0, 0, 0, new Histogram(TimeUnit.SECONDS.toMicros(60), 3)));
      }
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < paths.size(); i++) {
          results.set(i, bench.drive(paths.get(i), Math.max(1, seconds / rounds), results.get(i)));
        }
      }
      print(results, batch);
      status = results.stream().anyMatch(r -> r.failures() > 0) ? 1 : 0;
    } finally {
      process.close().await(30, TimeUnit.SECONDS);
    }
    System.exit(status);
  }

  private List<Path> paths(int gatewayPort) throws Exception {
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gatewayPort)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));
    JWTAuth issuer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(JWT_SECRET)));

    JsonObject direct = tenant();
    DeliveryOptions busOptions = new DeliveryOptions().setSendTimeout(30_000)
        .addHeader("tenant-id", direct.getString("tenantId")).addHeader("content-type", "application/x-ndjson");
    String apiKey = tenant().getString("apiKey");
    JsonObject jwtTenant = tenant();
    String jwt = "Bearer " + issuer.generateToken(new JsonObject().put("sub", "bench").put("tenant", jwtTenant.getString("tenantId"))
        .put("role", "analyst"), new JWTOptions().setExpiresInSeconds(3600));
    String v1Key = tenant().getString("apiKey");
    String v3Key = tenant().getString("apiKey");
    // the same HTTP server work without the gateway's guards: read the body, hand it to ingestion, answer its result
    JsonObject bareTenant = tenant();
    DeliveryOptions bareOptions = new DeliveryOptions().setSendTimeout(30_000)
        .addHeader("tenant-id", bareTenant.getString("tenantId")).addHeader("content-type", "application/x-ndjson");
    int barePort = freePort();
    // as many instances as the gateway has, so both HTTP paths have the same event loops to work on
    vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer().requestHandler(req -> req.body()
                .compose(body -> vertx.eventBus().<Object>request(Addresses.INGEST_HTTP_BATCH, body, bareOptions))
                .onSuccess(reply -> req.response().setStatusCode(202).putHeader("content-type", "application/json")
                    .end(String.valueOf(reply.body())))
                .onFailure(err -> req.response().setStatusCode(503).end()))
            .listen(barePort, "127.0.0.1");
      }
    }, new io.vertx.core.DeploymentOptions().setInstances(GATEWAY_INSTANCES)).await(30, TimeUnit.SECONDS);
    HttpClient bareHttp = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(barePort)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));
    return List.of(
        new Path("bus -> ingestion (no gateway)", n -> vertx.eventBus().request(Addresses.INGEST_HTTP_BATCH, batch(n, false), busOptions)
            .map(reply -> 202)),
        new Path("HTTP -> ingestion, no auth/limits/versions", n -> post(bareHttp, "/events", "x-none", "-", batch(n, false))),
        new Path("HTTP v2, API key", n -> post(http, "/api/v2/events", "x-api-key", apiKey, batch(n, false))),
        new Path("HTTP v2, JWT (HS256)", n -> post(http, "/api/v2/events", "authorization", jwt, batch(n, false))),
        new Path("HTTP v1, legacy shape (adapter)", n -> post(http, "/api/v1/events", "x-api-key", v1Key, batch(n, true))),
        new Path("HTTP v3, per-event results", n -> post(http, "/api/v3/events", "x-api-key", v3Key, batch(n, false))));
  }

  private JsonObject tenant() throws Exception {
    return vertx.eventBus().<JsonObject>request(Addresses.TENANCY_CREATE_TENANT,
        new JsonObject().put("name", "bench-gw-" + UUID.randomUUID()).put("tier", "ENTERPRISE")).await(30, TimeUnit.SECONDS).body();
  }

  private static Future<Integer> post(HttpClient http, String uri, String header, String credential, Buffer body) {
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(uri)
            .putHeader("content-type", "application/x-ndjson").putHeader(header, credential))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(x -> resp.statusCode()));
  }

  /** {@code n} small login events with ids unique to this run, in v2 or v1 (legacy) shape. */
  private Buffer batch(int n, boolean legacy) {
    StringBuilder sb = new StringBuilder(n * 120);
    for (int i = 0; i < n; i++) {
      long seq = sequence.getAndIncrement();
      String id = run + "-" + seq;
      String account = "acct-" + (seq % 10_000);
      if (legacy) {
        sb.append("{\"id\":\"").append(id).append("\",\"type\":\"auth.login\",\"ts\":").append(1_764_064_800_000L + seq)
            .append(",\"accountId\":\"").append(account).append("\",\"appVersion\":\"7.2\"}\n");
      } else {
        sb.append("{\"eventId\":\"").append(id).append("\",\"type\":\"auth.login\",\"occurredAt\":\"2026-11-25T10:")
            .append(String.format(Locale.ROOT, "%02d:%02d", (seq / 60) % 60, seq % 60))
            .append("Z\",\"accountId\":\"").append(account).append("\",\"attributes\":{\"appVersion\":\"7.2\"}}\n");
      }
    }
    return Buffer.buffer(sb.toString());
  }

  /**
   * Sends batches down one path, {@code concurrency} in flight, for {@code seconds}; then waits for the last ones.
   * Adds to {@code sofar} (null: a warm-up, nothing kept).
   */
  private Result drive(Path path, int seconds, Result sofar) throws Exception {
    Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> next(path, end, latency, ok, failed, done));
      workers.add(done.future());
    }
    Future.all(workers).await(seconds + 120L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (sofar == null) {
      return null;
    }
    sofar.latency().add(latency);
    return new Result(path.name(), sofar.batches() + ok.get(), sofar.failures() + failed.get(), sofar.seconds() + elapsed,
        sofar.latency());
  }

  private void next(Path path, long end, Histogram latency, AtomicLong ok, AtomicLong failed, Promise<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete();
      return;
    }
    long t0 = System.nanoTime();
    path.send().apply(batchSize).onComplete(ar -> {
      if (ar.succeeded() && ar.result() == 202 || ar.succeeded() && ar.result() == 207) {
        synchronized (latency) {
          latency.recordValue(Math.min(latency.getHighestTrackableValue(), (System.nanoTime() - t0) / 1000));
        }
        ok.incrementAndGet();
      } else {
        failed.incrementAndGet();
      }
      next(path, end, latency, ok, failed, done);
    });
  }

  /**
   * The table; "cost of the guards" compares each gateway path with plain HTTP into ingestion (the second path):
   * what authentication, rate limiting, metering, versioning and the breaker take off throughput.
   */
  private static void print(List<Result> results, int batchSize) {
    Result base = results.get(0);
    Result bare = results.get(1);
    double baseP50 = base.latency().getValueAtPercentile(50) / 1000.0;
    double bareRate = bare.batches() / bare.seconds();
    System.out.println();
    System.out.println("| path | batches/s | events/s | p50 ms | p99 ms | p50 over bus | cost of the guards (throughput) | failed |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (Result r : results) {
      double rate = r.batches() / r.seconds();
      double p50 = r.latency().getValueAtPercentile(50) / 1000.0;
      double p99 = r.latency().getValueAtPercentile(99) / 1000.0;
      String cost = results.indexOf(r) < 2 ? "-" : String.format(Locale.ROOT, "%.1f %%", (bareRate - rate) * 100 / bareRate);
      System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %.2f | %s | %s | %d |%n", r.name(), rate, rate * batchSize, p50, p99,
          r == base ? "-" : String.format(Locale.ROOT, "%+.2f ms", p50 - baseP50), cost, r.failures());
    }
  }

  /** The other verticles by name: the gateway module does not depend on them; the app's class path has them. */
  private static Component component(String name, String className) {
    return Component.of(name, () -> {
      try {
        return (Deployable) Class.forName(className).getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("run with the app's class path (scripts/bench-gateway): " + className + " is missing", e);
      }
    });
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + argv[i]);
      }
      String name = argv[i].substring(2);
      args.put(name, i + 1 < argv.length && !argv[i + 1].startsWith("--") ? argv[++i] : "true");
    }
    return args;
  }
}
