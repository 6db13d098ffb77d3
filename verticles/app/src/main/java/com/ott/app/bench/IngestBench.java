package com.ott.app.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Load generator for {@code scripts/bench ingest}: posts batches of unique events
 * over HTTP with a fixed number of requests in flight, measures each request,
 * then counts the events PostgreSQL holds for the tenant.
 */
public final class IngestBench {
  private static final String[] TYPES = {"playback.start", "playback.heartbeat", "playback.stop", "ad.impression", "auth.login"};

  private final String host;
  private final int port;
  private final String apiKey;
  private final long events;
  private final int batchSize;
  private final int concurrency;
  private final String run = Long.toHexString(System.nanoTime());
  private final AtomicLong nextBatch = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);

  private IngestBench(Map<String, String> args) {
    this.host = args.getOrDefault("host", "127.0.0.1");
    this.port = Integer.parseInt(args.getOrDefault("port", "8080"));
    this.apiKey = required(args, "api-key");
    this.events = Long.parseLong(args.getOrDefault("events", "1000000"));
    this.batchSize = Integer.parseInt(args.getOrDefault("batch", "1000"));
    this.concurrency = Integer.parseInt(args.getOrDefault("concurrency", "8"));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = Args.parse(argv);
    if (args.containsKey("help")) {
      System.out.println("IngestBench --api-key K [--host 127.0.0.1] [--port 8080] [--events 1000000] [--batch 1000]"
          + " [--concurrency 8] [--warmup N] [--pg-url postgresql://...] [--tenant T] [--cpu-pids app:PID,pg:PID+PID]");
      return;
    }
    IngestBench bench = new IngestBench(args);
    bench.warmUp();
    // steady state: a first load at full concurrency, not measured, so JIT compilation is not part of the figures
    long warmEvents = Long.parseLong(args.getOrDefault("warmup", String.valueOf(Math.max(20_000, bench.events / 5))));
    if (warmEvents > 0) {
      java.util.Map<String, String> warmArgs = new java.util.HashMap<>(args);
      warmArgs.put("events", String.valueOf(warmEvents));
      new IngestBench(warmArgs).runLoad();
    }
    CpuMeter cpu = CpuMeter.of(args.get("cpu-pids"));
    long start = System.nanoTime();
    bench.runLoad();
    double seconds = (System.nanoTime() - start) / 1e9;
    String cpuRow = cpu.rowPerEvent(bench.events);
    long stored = -1;
    if (args.containsKey("pg-url") && args.containsKey("tenant")) {
      stored = countStored(args.get("pg-url"), args.get("tenant"), bench.run);
    }
    bench.print(seconds, stored);
    if (cpuRow != null) {
      System.out.println(cpuRow);
    }
    System.exit(stored >= 0 && stored != bench.acknowledged.get() ? 1 : 0);
  }

  private void warmUp() throws Exception {
    // a few requests so the JIT of both processes is not part of the figures
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient client = client(vertx);
      for (int i = 0; i < 20; i++) {
        post(client, body("warm-" + run + "-" + i, 0, batchSize)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private void runLoad() throws Exception {
    Vertx vertx = Vertx.vertx();
    HttpClient client = client(vertx);
    long batches = (events + batchSize - 1) / batchSize;
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicLong inFlight = new AtomicLong(concurrency);
    for (int i = 0; i < concurrency; i++) {
      vertx.runOnContext(v -> sendNext(client, batches, done, inFlight));
    }
    done.get(1, TimeUnit.HOURS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private void sendNext(HttpClient client, long batches, CompletableFuture<Void> done, AtomicLong workers) {
    long b = nextBatch.getAndIncrement();
    if (b >= batches) {
      if (workers.decrementAndGet() == 0) {
        done.complete(null);
      }
      return;
    }
    int n = (int) Math.min(batchSize, events - b * batchSize);
    Buffer body = body(run, b, n);
    long t0 = System.nanoTime();
    post(client, body).onComplete(ar -> {
      if (ar.succeeded() && ar.result() == 202) {
        latency.recordValue(Math.min(latency.getHighestTrackableValue(), (System.nanoTime() - t0) / 1000));
        acknowledged.addAndGet(n);
        sendNext(client, batches, done, workers);
      } else {
        // what a client does: send the same batch again (ids repeat, so nothing is stored twice)
        failures.incrementAndGet();
        retry(client, b, n, batches, done, workers);
      }
    });
  }

  private void retry(HttpClient client, long b, int n, long batches, CompletableFuture<Void> done, AtomicLong workers) {
    post(client, body(run, b, n)).onComplete(ar -> {
      if (ar.succeeded() && ar.result() == 202) {
        acknowledged.addAndGet(n);
        sendNext(client, batches, done, workers);
      } else {
        failures.incrementAndGet();
        retry(client, b, n, batches, done, workers);
      }
    });
  }

  private HttpClient client(Vertx vertx) {
    return vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(concurrency));
  }

  private Future<Integer> post(HttpClient client, Buffer body) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v2/events")
            .putHeader("content-type", "application/x-ndjson").putHeader("x-api-key", apiKey))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(x -> resp.statusCode()));
  }

  /** One NDJSON batch of realistic events with ids unique to this run. */
  private Buffer body(String prefix, long batch, int n) {
    StringBuilder sb = new StringBuilder(n * 260);
    for (int i = 0; i < n; i++) {
      long seq = batch * batchSize + i;
      int account = (int) (seq % 50_000);
      String type = TYPES[(int) (seq % TYPES.length)];
      sb.append("{\"eventId\":\"").append(prefix).append('-').append(seq)
          .append("\",\"type\":\"").append(type)
          .append("\",\"occurredAt\":\"2026-11-25T10:").append(String.format(Locale.ROOT, "%02d:%02d", (seq / 60) % 60, seq % 60))
          .append("Z\",\"accountId\":\"acct-").append(account)
          .append("\",\"deviceId\":\"dev-").append(account).append('-').append(seq % 3)
          .append("\",\"ip\":\"203.0.").append(account % 256).append('.').append(seq % 250 + 1).append('"');
      switch (type) {
        case "ad.impression" -> sb.append(",\"contentId\":\"title-").append(seq % 997)
            .append("\",\"adDurationSec\":30,\"adPersonalized\":false,\"thirdParty\":\"vendor-7\",\"personalIds\":false");
        case "auth.login" -> { }
        default -> {
          sb.append(",\"sessionId\":\"s-").append(account).append("\",\"contentId\":\"title-").append(seq % 997).append('"');
          if (type.equals("playback.start")) {
            sb.append(",\"country\":\"US\",\"captions\":true");
          }
        }
      }
      sb.append("}\n");
    }
    return Buffer.buffer(sb.toString());
  }

  private static long countStored(String pgUrl, String tenant, String run) throws Exception {
    java.net.URI uri = java.net.URI.create(pgUrl);
    String user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":", 2)[0];
    String password = uri.getUserInfo() != null && uri.getUserInfo().contains(":") ? uri.getUserInfo().split(":", 2)[1] : "";
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 5432) + uri.getPath();
    try (Connection c = DriverManager.getConnection(jdbc, user, password);
         PreparedStatement st = c.prepareStatement("SELECT count(*) FROM events WHERE tenant_id = ? AND event_id LIKE ?")) {
      st.setString(1, tenant);
      st.setString(2, run + "-%");
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private void print(double seconds, long stored) {
    String table = String.join("\n",
        "| metric | value |",
        "|---|---|",
        row("events acknowledged (202)", String.format(Locale.ROOT, "%,d", acknowledged.get())),
        row("events stored (PostgreSQL count)", stored < 0 ? "not checked" : String.format(Locale.ROOT, "%,d", stored)),
        row("batch size / requests in flight", batchSize + " / " + concurrency),
        row("elapsed", String.format(Locale.ROOT, "%.1f s", seconds)),
        row("throughput (stored end to end)", String.format(Locale.ROOT, "%,.0f events/s", acknowledged.get() / seconds)),
        row("request latency p50", ms(latency.getValueAtPercentile(50))),
        row("request latency p99", ms(latency.getValueAtPercentile(99))),
        row("request latency max", ms(latency.getMaxValue())),
        row("failed requests (retried)", String.valueOf(failures.get())));
    System.out.println(table);
  }

  private static String row(String k, String v) {
    return "| " + k + " | " + v + " |";
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }

  private static String required(Map<String, String> args, String name) {
    String v = args.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }
}
