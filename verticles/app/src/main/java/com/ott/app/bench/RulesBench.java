package com.ott.app.bench;

import com.ott.contract.Addresses;
import com.ott.contract.traffic.TrafficGenerator;
import com.ott.contract.traffic.TrafficOptions;
import com.ott.rules.engine.RedisRuleState;
import com.ott.rules.engine.RuleEngine;
import com.ott.rules.engine.RuleSettings;
import com.ott.rules.reference.RedisReferenceData;
import com.ott.rules.reference.ReferenceBodies;
import com.ott.runtime.OttProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@code scripts/bench rules}: the rule engine alone (in process, state in Redis),
 * the full pipeline (HTTP -> stored + evaluated + alerts stored) on the same
 * generated stream, and alert latency from the violating event's 202 to the alert
 * on the bus, measured by a member of the app's cluster.
 */
public final class RulesBench {
  // rules that decide only once event time has passed the allowed lateness: minutes by design
  private static final Set<String> DELAYED = Set.of("concurrent_streams", "consent_violation");

  private static final HttpClient METRICS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(java.time.Duration.ofSeconds(10)).build();

  private RulesBench() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = Args.parse(argv);
    int events = Integer.parseInt(args.getOrDefault("events", "200000"));
    List<String> rows = new ArrayList<>();
    rows.add(engineAlone(args.get("redis-url"), events));
    if (args.containsKey("api-key")) {
      rows.addAll(pipeline(args, events));
    }
    System.out.println("| measure | value |");
    System.out.println("|---|---|");
    rows.forEach(System.out::println);
    System.exit(0);
  }

  private static String engineAlone(String redisUrl, int n) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Redis redis = Redis.createClient(vertx, redisUrl);
      RedisReferenceData reference = new RedisReferenceData(redis);
      String tenant = "bench-" + UUID.randomUUID();
      TrafficGenerator traffic = new TrafficGenerator(42, Instant.parse("2026-11-02T00:00:00Z"), TrafficOptions.defaults());
      List<JsonObject> stream = traffic.next(n);
      reference.upsertTitles(tenant, ReferenceBodies.titles(traffic.catalog()).entries()).await(60, TimeUnit.SECONDS);
      reference.upsertAccounts(tenant, ReferenceBodies.accounts(traffic.accounts()).entries()).await(60, TimeUnit.SECONDS);
      RuleEngine engine = new RuleEngine(reference, new RedisRuleState(redis), RuleSettings.defaults());
      // warm-up on another tenant so the JIT is not part of the figure
      RuleEngine warm = new RuleEngine(reference, new RedisRuleState(redis), RuleSettings.defaults());
      for (int i = 0; i < Math.min(n, 40_000); i += 2000) {
        warm.evaluate(tenant + "-warm", stream.subList(i, Math.min(stream.size(), i + 2000))).await(60, TimeUnit.SECONDS);
      }
      long t0 = System.nanoTime();
      long findings = 0;
      for (int i = 0; i < stream.size(); i += 2000) {
        findings += engine.evaluate(tenant, stream.subList(i, Math.min(stream.size(), i + 2000))).await(60, TimeUnit.SECONDS).size();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      return String.format(Locale.ROOT, "| rule engine alone (11 rules, Redis state, batches of 2,000) | %,.0f events/s (%,d events, %,d findings) |",
          stream.size() / s, stream.size(), findings);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> pipeline(Map<String, String> args, int n) throws Exception {
    String apiKey = args.get("api-key");
    String tenant = args.get("tenant");
    String liveKey = args.getOrDefault("live-api-key", apiKey);
    String liveTenant = args.getOrDefault("live-tenant", tenant);
    int port = Integer.parseInt(args.getOrDefault("port", "18080"));
    int opsPort = Integer.parseInt(args.getOrDefault("ops-port", "19400"));
    JsonObject cluster = new JsonObject().put("name", args.get("cluster-name")).put("members", "127.0.0.1")
        .put("port", 5701).put("host", "127.0.0.1").put("waitSecondsBeforeJoin", 1);
    io.vertx.core.VertxOptions options = new io.vertx.core.VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1").setPort(0);
    Vertx vertx = Vertx.builder().with(options)
        .withClusterManager(new HazelcastClusterManager(OttProcess.hazelcastConfig(cluster))).buildClustered()
        .await(120, TimeUnit.SECONDS);
    try {
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
);
      Map<String, Long> acknowledgedAt = new ConcurrentHashMap<>();
      // wall-clock microseconds on both sides (one machine, one clock): 202 -> the alert store's publish, and
      // 202 -> receipt by this cluster member (adds the cluster hop and this process's own delays)
      Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
      Histogram published = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
      AtomicLong alertsSeen = new AtomicLong();
      vertx.eventBus().<JsonObject>consumer(Addresses.alerts(liveTenant), msg -> {
        JsonObject alert = msg.body();
        alertsSeen.incrementAndGet();
        if (alert.getInteger("count", 0) != 1 || DELAYED.contains(alert.getString("ruleId"))) {
          return;
        }
        JsonArray ids = alert.getJsonObject("evidence", new JsonObject()).getJsonArray("eventIds", new JsonArray());
        Long acked = ids.isEmpty() ? null : acknowledgedAt.get(ids.getString(0));
        String publishedAt = msg.headers().get("published-at");
        if (acked != null) {
          synchronized (latency) {
            latency.recordValue(Math.max(0, epochMicros() - acked));
            if (publishedAt != null) {
              published.recordValue(Math.max(0, Long.parseLong(publishedAt) - acked));
            }
          }
        }
      });

      // latency first: a live stream paced at the target rate (event time = now), each batch's 202 time kept per
      // event id, for a second tenant, after an unmeasured warm-up. First, because the throughput run's 31 hours of
      // past event time leave its tenant with timers that the watermark then works through for minutes: a backfill
      // that is not what a live stream sees.
      int rate = Integer.parseInt(args.getOrDefault("rate", "5000"));
      int seconds = Integer.parseInt(args.getOrDefault("seconds", "30"));
      int warmupSeconds = Integer.parseInt(args.getOrDefault("warmup", "30"));
      TrafficGenerator live = new TrafficGenerator(7, Instant.now(), TrafficOptions.defaults()
          .withAccounts(20_000).withViolationRate(0.03));
      put(client, liveKey, "/api/v2/catalog", live.catalog());
      put(client, liveKey, "/api/v2/accounts", live.accounts());
      paced(client, liveKey, live, rate, warmupSeconds, null);
      double achieved = paced(client, liveKey, live, rate, seconds, acknowledgedAt);
      Thread.sleep(5000);
      long measured;
      double p50;
      double p99;
      double publishedP50;
      double publishedP99;
      synchronized (latency) {
        measured = latency.getTotalCount();
        p50 = latency.getValueAtPercentile(50) / 1000.0;
        p99 = latency.getValueAtPercentile(99) / 1000.0;
        publishedP50 = published.getValueAtPercentile(50) / 1000.0;
        publishedP99 = published.getValueAtPercentile(99) / 1000.0;
      }
      acknowledgedAt.clear();

      // throughput: the same generated stream as the engine alone, as fast as the pipeline takes it
      TrafficGenerator traffic = new TrafficGenerator(42, Instant.parse("2026-11-02T00:00:00Z"), TrafficOptions.defaults());
      List<JsonObject> stream = traffic.next(n);
      put(client, apiKey, "/api/v2/catalog", traffic.catalog());
      put(client, apiKey, "/api/v2/accounts", traffic.accounts());
      // steady state: an unmeasured warm-up stream (another seed, as long as the measured one) first,
      // so the figure is the pipeline's, not the JIT compiler's
      int warmEvents = Integer.parseInt(args.getOrDefault("warmup-events", String.valueOf(n)));
      TrafficGenerator warmTraffic = new TrafficGenerator(43, Instant.parse("2026-10-01T00:00:00Z"), TrafficOptions.defaults());
      List<JsonObject> warm = warmTraffic.next(warmEvents);
      long warmStart = System.nanoTime();
      postAll(client, apiKey, warm, metric(opsPort, "ott_rules_events_evaluated_total"), opsPort, warmStart);
      double evaluatedBefore = metric(opsPort, "ott_rules_events_evaluated_total");
      long t0 = System.nanoTime();
      double stored = postAll(client, apiKey, stream, evaluatedBefore, opsPort, t0);
      double evaluated = (System.nanoTime() - t0) / 1e9;

      List<String> rows = new ArrayList<>();
      rows.add(String.format(Locale.ROOT, "| full pipeline: HTTP -> stored (202) | %,.0f events/s |", stream.size() / stored));
      rows.add(String.format(Locale.ROOT, "| full pipeline: HTTP -> stored + evaluated + alerts stored | %,.0f events/s |", stream.size() / evaluated));
      rows.add(String.format(Locale.ROOT, "| live stream for latency | %,.0f events/s for %d s |", achieved, seconds));
      rows.add(String.format(Locale.ROOT, "| alerts measured (new, immediate rules) | %,d |", measured));
      rows.add(String.format(Locale.ROOT, "| alert latency p50 / p99 (202 -> published on the bus by the alert store) | %.1f / %.1f ms |",
          publishedP50, publishedP99));
      rows.add(String.format(Locale.ROOT, "| alert latency p50 / p99 (202 -> received by a member of the cluster) | %.1f / %.1f ms |",
          p50, p99));
      return rows;
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /**
   * Posts the events in batches of 1,000 with a sliding window of 8 in flight (a new batch leaves as soon as the
   * oldest is answered), then waits until the rules have evaluated them all; answers the seconds from {@code t0}
   * until the last 202.
   */
  private static double postAll(WebClient client, String apiKey, List<JsonObject> events, double evaluatedBefore,
                                int opsPort, long t0) throws Exception {
    java.util.ArrayDeque<Future<?>> inFlight = new java.util.ArrayDeque<>();
    for (int i = 0; i < events.size(); i += 1000) {
      if (inFlight.size() == 8) {
        inFlight.removeFirst().await(120, TimeUnit.SECONDS);
      }
      inFlight.addLast(post(client, apiKey, events.subList(i, Math.min(events.size(), i + 1000)), null));
    }
    Future.all(new ArrayList<>(inFlight)).await(120, TimeUnit.SECONDS);
    double stored = (System.nanoTime() - t0) / 1e9;
    while (metric(opsPort, "ott_rules_events_evaluated_total") < evaluatedBefore + events.size()) {
      if ((System.nanoTime() - t0) / 1e9 > 600) {
        throw new IllegalStateException("the rules did not catch up within 10 minutes");
      }
      Thread.sleep(100);
    }
    return stored;
  }

  /** Sends the live stream at {@code rate} events/s for {@code seconds}, 50 ms apart; answers the rate achieved. */
  private static double paced(WebClient client, String apiKey, TrafficGenerator live, int rate, int seconds,
                              Map<String, Long> acknowledgedAt) throws Exception {
    long tick = 50;
    int perTick = Math.max(1, (int) (rate * tick / 1000));
    long start = System.nanoTime();
    long sent = 0;
    while ((System.nanoTime() - start) / 1e9 < seconds) {
      List<JsonObject> batch = live.next(perTick);
      post(client, apiKey, batch, acknowledgedAt);
      sent += batch.size();
      long due = start + (sent * 1_000_000_000L) / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    return sent / ((System.nanoTime() - start) / 1e9);
  }

  private static void put(WebClient client, String apiKey, String path, JsonArray body) throws Exception {
    var r = client.put(path).putHeader("x-api-key", apiKey).putHeader("content-type", "application/json")
        .sendBuffer(body.toBuffer()).await(60, TimeUnit.SECONDS);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.bodyAsString());
    }
  }

  private static Future<?> post(WebClient client, String apiKey, List<JsonObject> events, Map<String, Long> acknowledgedAt) {
    Buffer body = Buffer.buffer(events.size() * 300);
    events.forEach(e -> body.appendBuffer(e.toBuffer()).appendByte((byte) '\n'));
    return client.post("/api/v2/events").putHeader("x-api-key", apiKey).putHeader("content-type", "application/x-ndjson")
        .sendBuffer(body).map(r -> {
          if (r.statusCode() != 202) {
            throw new IllegalStateException("events answered " + r.statusCode() + ": " + r.bodyAsString());
          }
          if (acknowledgedAt != null) {
            long now = epochMicros();
            events.forEach(e -> acknowledgedAt.put(e.getString("eventId"), now));
          }
          return null;
        });
  }

  private static double metric(int opsPort, String name) throws Exception {
    // HTTP/1.1 and a timeout: the JDK client's default h2c upgrade attempt can leave a plain HTTP/1 server's answer pending
    HttpResponse<String> r = METRICS.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics"))
        .timeout(java.time.Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    double total = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith(name)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
