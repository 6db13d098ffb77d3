package com.ott.bridge.bench;

import com.ott.bridge.BridgeVerticle;
import com.ott.contract.Addresses;
import com.ott.contract.ApiKeyHash;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.runtime.ProcessRuntime;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * Delivery latency of alerts through the http-bridge (scripts/bench-bridge): N SockJS event-bus clients (the
 * bridge protocol of the official JS client, over SockJS's WebSocket transport) and M graphql-transport-ws
 * subscribers of {@code alertRaised}, all of one tenant, while alerts are published at a fixed rate on
 * {@code ott.alerts.<tenantId>} with a {@code seq} header, exactly as the alert store publishes a stored alert.
 * Latency is from that publish to the moment a client has the message. The bridge runs in this JVM on its own
 * Vert.x instance; the clients on another. API keys are resolved by an in-process stand-in for tenancy.
 */
public final class BridgeBench {
  private static final String TENANT = "tbench" + Long.toHexString(System.nanoTime());
  private static final String KEY = "ott_bench_" + UUID.randomUUID();

  private final Recorder bridgeLatency = new Recorder(3);
  private final Recorder graphqlLatency = new Recorder(3);
  private final AtomicLong bridgeReceived = new AtomicLong();
  private final AtomicLong graphqlReceived = new AtomicLong();
  private final AtomicLong disconnects = new AtomicLong();
  private final AtomicLong graphqlEnded = new AtomicLong();
  private volatile boolean measuring;
  // the client side's event-loop threads, to tell apart the CPU the bridge used from the clients'
  private final java.util.Set<Thread> clientThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile Thread generatorThread;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>(Map.of("--bridge-clients", "100", "--graphql-clients", "100", "--rate", "1000",
        "--seconds", "20", "--warmup", "10"));
    boolean generatorOnly = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println("usage: BridgeBench [--bridge-clients N] [--graphql-clients N] [--rate alerts/s] [--seconds N] [--warmup N]"
            + " [--generator-only]");
        return;
      }
      if (args[i].equals("--generator-only")) {
        generatorOnly = true;
        continue;
      }
      if (!opts.containsKey(args[i]) || i + 1 >= args.length) {
        System.err.println("unknown or incomplete option " + args[i] + " (see --help)");
        System.exit(2);
      }
      opts.put(args[i], args[++i]);
    }
    int status = 0;
    try {
      if (generatorOnly) {
        new BridgeBench().generatorOnly(Integer.parseInt(opts.get("--seconds")));
        System.exit(0);
      }
      new BridgeBench().run(Integer.parseInt(opts.get("--bridge-clients")), Integer.parseInt(opts.get("--graphql-clients")),
          Integer.parseInt(opts.get("--rate")), Integer.parseInt(opts.get("--seconds")), Integer.parseInt(opts.get("--warmup")));
    } catch (Exception e) {
      System.err.println("bench failed: " + e);
      status = 1;
    }
    // the clients and the bridge may still be draining a backlog: the figures are printed, stop here
    System.exit(status);
  }

  private void run(int bridgeClients, int graphqlClients, int rate, int seconds, int warmup) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    int port = freePort();
    env.put("OTT_CLUSTER_ENABLED", "false");
    env.put("OTT_HTTP_BRIDGE_PORT", String.valueOf(port));
    env.put("OTT_HTTP_BRIDGE_HOST", "127.0.0.1");
    env.put("OTT_OPS_PORT", String.valueOf(freePort()));
    JsonObject config = OttConfig.load(env);
    OttProcess.Running bridge = OttProcess.start("bench-bridge", config, List.of(Component.of("http-bridge", BridgeVerticle::new)))
        .await(60, TimeUnit.SECONDS);
    String hash = ApiKeyHash.of(KEY);
    bridge.vertx().eventBus().<JsonObject>consumer(Addresses.TENANCY_RESOLVE_KEY, m -> {
      if (hash.equals(m.body().getString("keyHash"))) {
        m.reply(new JsonObject().put("tenantId", TENANT).put("keyId", "kbench").put("tier", "ENTERPRISE"));
      } else {
        m.fail(401, "unknown key");
      }
    });
    Vertx clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    List<WebSocket> sockets = new ArrayList<>();
    WebSocketClient ws = clients.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(bridgeClients + graphqlClients + 10)
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 24));
    for (int i = 0; i < bridgeClients; i++) {
      sockets.add(bridgeClient(ws, port).await(30, TimeUnit.SECONDS));
    }
    for (int i = 0; i < graphqlClients; i++) {
      sockets.add(graphqlClient(ws, port).await(30, TimeUnit.SECONDS));
    }
    // every client subscribed: one probe alert reaches them all before measuring
    Vertx publisher = bridge.vertx();
    long[] seq = {1};  // written by the probe loop, then by the ticking thread only
    long probeDeadline = System.currentTimeMillis() + 30_000;
    while ((bridgeReceived.get() < bridgeClients || graphqlReceived.get() < graphqlClients) && System.currentTimeMillis() < probeDeadline) {
      publish(publisher, seq[0]++);
      Thread.sleep(200);
    }
    System.out.printf(Locale.ROOT, "connected: %d bridge clients, %d GraphQL subscribers; warming up %d s, then measuring %d s at %d alerts/s%n",
        bridgeClients, graphqlClients, warmup, seconds, rate);

    // ticks every 10 ms (rate/100 alerts each), or less often for rates under 100/s, from a thread of its own
    // (not an event loop of the bridge)
    int perTick = Math.max(1, rate / 100);
    long tickMs = rate >= 100 ? 10 : Math.max(10, 1000 / Math.max(1, rate));
    AtomicLong published = new AtomicLong();
    // how late each tick starts against its schedule: a late generator would show as delivery latency it is not
    Recorder tickLateness = new Recorder(3);
    long startNanos = System.nanoTime();
    long[] tick = {0};
    java.util.concurrent.ScheduledExecutorService ticks = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    ticks.scheduleAtFixedRate(() -> {
      generatorThread = Thread.currentThread();
      long due = startNanos + tick[0]++ * tickMs * 1_000_000L;
      if (measuring) {
        tickLateness.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
      }
      for (int i = 0; i < perTick; i++) {
        publish(publisher, seq[0]++);
        if (measuring) {
          published.incrementAndGet();
        }
      }
    }, 0, tickMs, TimeUnit.MILLISECONDS);
    Thread.sleep(warmup * 1000L);
    bridgeLatency.getIntervalHistogram();
    graphqlLatency.getIntervalHistogram();
    long bridgeBefore = bridgeReceived.get();
    long graphqlBefore = graphqlReceived.get();
    Map<Thread, Long> cpuBefore = threadCpu();
    long processCpuBefore = processCpu();
    measuring = true;
    Thread.sleep(seconds * 1000L);
    measuring = false;
    Map<Thread, Long> cpuAfter = threadCpu();
    long processCpuAfter = processCpu();
    ticks.shutdownNow();
    Histogram b = bridgeLatency.getIntervalHistogram();
    Histogram g = graphqlLatency.getIntervalHistogram();
    Histogram late = tickLateness.getIntervalHistogram();
    long bridgeGot = bridgeReceived.get() - bridgeBefore;
    long graphqlGot = graphqlReceived.get() - graphqlBefore;
    double slow = counter(bridge, "ott_bridge_refusals", "reason", "slow_consumer");

    System.out.println();
    System.out.printf(Locale.ROOT, "%-22s %8s %9s %11s %11s %9s %9s %9s %9s%n", "channel", "clients", "alerts/s",
        "expected", "received", "p50 ms", "p90 ms", "p99 ms", "max ms");
    row("SockJS bridge", bridgeClients, published.get() / (double) seconds, published.get() * bridgeClients, bridgeGot, b);
    row("GraphQL alertRaised", graphqlClients, published.get() / (double) seconds, published.get() * graphqlClients, graphqlGot, g);
    System.out.printf(Locale.ROOT, "%ngenerator: %.0f alerts/s published of %d asked, in ticks of %d every %d ms; tick start "
            + "lateness p50 %.2f ms, p99 %.2f ms, max %.2f ms (see --generator-only for what it can do alone)%n",
        published.get() / (double) seconds, rate, perTick, tickMs, late.getValueAtPercentile(50) / 1000.0,
        late.getValueAtPercentile(99) / 1000.0, late.getMaxValue() / 1000.0);
    double clientCpu = 0;
    double bridgeCpu = 0;
    double generatorCpu = 0;
    for (Map.Entry<Thread, Long> t : cpuAfter.entrySet()) {
      double used = (t.getValue() - cpuBefore.getOrDefault(t.getKey(), 0L)) / 1e9 / seconds;
      if (clientThreads.contains(t.getKey())) {
        clientCpu += used;
      } else if (t.getKey() == generatorThread) {
        generatorCpu += used;
      } else if (t.getKey().getName().startsWith("vert.x-eventloop-thread")) {
        bridgeCpu += used;
      }
    }
    double processCpu = (processCpuAfter - processCpuBefore) / 1e9 / seconds;
    Map<String, Double> others = new java.util.TreeMap<>();
    for (Map.Entry<Thread, Long> t : cpuAfter.entrySet()) {
      if (!clientThreads.contains(t.getKey()) && t.getKey() != generatorThread
          && !t.getKey().getName().startsWith("vert.x-eventloop-thread")) {
        others.merge(t.getKey().getName().replaceAll("[0-9]+", "#"),
            (t.getValue() - cpuBefore.getOrDefault(t.getKey(), 0L)) / 1e9 / seconds, Double::sum);
      }
    }
    System.out.printf(Locale.ROOT, "CPU used while measuring, in cores: whole process %.2f = bridge event loop %.2f + "
            + "client event loops %.2f + generator %.2f + the rest (GC, JIT, other threads) %.2f%n", processCpu, bridgeCpu,
        clientCpu, generatorCpu, processCpu - bridgeCpu - clientCpu - generatorCpu);
    StringBuilder busiest = new StringBuilder();
    others.entrySet().stream().filter(e -> e.getValue() >= 0.005)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(6)
        .forEach(e -> busiest.append(String.format(Locale.ROOT, " %s %.2f;", e.getKey(), e.getValue())));
    System.out.println("  of the rest, Java threads (GC and JIT threads are not listed):" + busiest);
    long deliveries = bridgeGot + graphqlGot;
    System.out.printf(Locale.ROOT, "bridge event-loop CPU per delivery: %.1f us (%,d deliveries/s); at that cost %d alerts/s "
            + "to these %d clients need %.2f cores for the bridge alone%n", deliveries == 0 ? Double.NaN : bridgeCpu * seconds * 1e6 / deliveries,
        deliveries / seconds, rate, bridgeClients + graphqlClients,
        deliveries == 0 ? Double.NaN : bridgeCpu * seconds / deliveries * rate * (bridgeClients + graphqlClients));
    System.out.printf(Locale.ROOT, "GraphQL subscriptions ended by the server (error message, e.g. SLOW_CONSUMER): %d%n",
        graphqlEnded.get());
    System.out.printf(Locale.ROOT, "slow-consumer disconnects: bridge %.0f, client-side closes seen %d; "
            + "distinct GraphQL executions: %.0f; cores: %d; load average at the end: %.2f%n", slow, disconnects.get(),
        gauge(bridge, "ott_bridge_graphql_shared_subscriptions"), Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println("alerts published straight on ott.alerts.<tenantId> (as the alert store does after storing), "
        + "latency = publish -> message parsed by the client, bridge and clients in one JVM on separate Vert.x instances");
  }

  private static void row(String name, int clients, double rate, long expected, long received, Histogram h) {
    System.out.printf(Locale.ROOT, "%-22s %8d %9.0f %11d %11d %9.2f %9.2f %9.2f %9.2f%n", name, clients, rate, expected, received,
        h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0);
  }

  private static double counter(OttProcess.Running p, String name, String... tags) {
    double total = 0;
    for (Counter c : ProcessRuntime.of(p.vertx()).meters().find(name).tags(tags).counters()) {
      total += c.count();
    }
    return total;
  }

  private static Map<Thread, Long> threadCpu() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<Thread, Long> cpu = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long nanos = mx.getThreadCpuTime(t.getId());
      if (nanos >= 0) {
        cpu.put(t, nanos);
      }
    }
    return cpu;
  }

  private static long processCpu() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }

  private static double gauge(OttProcess.Running p, String name) {
    var gauge = ProcessRuntime.of(p.vertx()).meters().find(name).gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  /**
   * What the generator produces alone, as fast as it can, on one thread: alerts built and published to one bus
   * consumer that only counts them (no bridge, no client).
   */
  private void generatorOnly(int seconds) throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicLong consumed = new AtomicLong();
    vertx.eventBus().consumer(Addresses.alerts(TENANT), m -> consumed.incrementAndGet()).completion()
        .await(10, TimeUnit.SECONDS);
    long seq = 1;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long t0 = System.nanoTime();
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) {
        publish(vertx, seq++);
      }
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "generator alone: %,.0f alerts/s built and published on ott.alerts.<tenantId>, "
        + "%,.0f/s consumed by one counting bus consumer meanwhile (one thread, %d s, no bridge, no client)%n",
        (seq - 1) / elapsed, consumed.get() / elapsed, seconds);
    vertx.close();
  }

  private static final String PADDING = "x".repeat(200);

  private void publish(Vertx vertx, long seq) {
    String id = UUID.randomUUID().toString();
    JsonObject alert = new JsonObject().put("alertId", id).put("tenantId", TENANT).put("ruleId", "geo_restriction")
        .put("severity", "HIGH").put("status", "OPEN")
        .put("subject", new JsonObject().put("accountToken", "tk_bench").put("contentId", "us-only"))
        .put("firstSeenAt", Instant.now().toString()).put("lastSeenAt", Instant.now().toString()).put("count", 1)
        .put("evidence", new JsonObject().put("eventIds", new JsonArray().add("ev-" + seq))
            .put("values", new JsonObject().put("country", "BR").put("benchSentNanos", System.nanoTime())))
        .put("explanation", "Title 'Licensed in the US' was played in BR, where it is not licensed. " + PADDING)
        .put("traceId", null);
    vertx.eventBus().publish(Addresses.alerts(TENANT), alert, new DeliveryOptions().addHeader("seq", Long.toString(seq)));
  }

  private void received(String text, int at, Recorder latency, AtomicLong count) {
    long now = System.nanoTime();
    int start = at + "benchSentNanos".length();
    // past the closing quote and colon, escaped (\":) inside a SockJS frame or not (":)
    while (start < text.length() && !Character.isDigit(text.charAt(start))) {
      start++;
    }
    int end = start;
    while (end < text.length() && (Character.isDigit(text.charAt(end)) || text.charAt(end) == '-')) {
      end++;
    }
    long sent = Long.parseLong(text, start, end, 10);
    count.incrementAndGet();
    if (measuring) {
      latency.recordValue(Math.max(0, (now - sent) / 1000));
    }
  }

  private Future<WebSocket> bridgeClient(WebSocketClient client, int port) {
    String uri = "/eventbus/" + (100 + (int) (Math.random() * 800)) + "/" + UUID.randomUUID().toString().replace("-", "") + "/websocket";
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)).map(ws -> {
      clientThreads.add(Thread.currentThread());
      ws.textMessageHandler(text -> {
        if (text.equals("o")) {
          ws.writeTextMessage(frame(new JsonObject().put("type", "register").put("address", Addresses.alerts(TENANT))
              .put("headers", new JsonObject().put("x-api-key", KEY))));
        } else if (text.startsWith("a")) {
          // an "a[...]" frame may carry several messages
          int from = 0;
          while (true) {
            int at = text.indexOf("benchSentNanos", from);
            if (at < 0) {
              break;
            }
            received(text, at, bridgeLatency, bridgeReceived);
            from = at + 1;
          }
        } else if (text.startsWith("c")) {
          disconnects.incrementAndGet();
        }
      });
      ws.closeHandler(v -> disconnects.incrementAndGet());
      // the JS client pings every 5 s
      pingEvery5s(ws);
      return ws;
    });
  }

  private static void pingEvery5s(WebSocket ws) {
    io.vertx.core.Vertx.currentContext().owner().setPeriodic(5000, id -> {
      if (!ws.isClosed()) {
        ws.writeTextMessage(frame(new JsonObject().put("type", "ping")));
      }
    });
    ws.writeTextMessage(frame(new JsonObject().put("type", "ping")));
  }

  private static String frame(JsonObject f) {
    return new JsonArray().add(f.encode()).encode();
  }

  private Future<WebSocket> graphqlClient(WebSocketClient client, int port) {
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/graphql")
        .setSubProtocols(List.of("graphql-transport-ws"))).map(ws -> {
      clientThreads.add(Thread.currentThread());
      ws.textMessageHandler(text -> {
        if (text.contains("\"connection_ack\"")) {
          ws.writeTextMessage(new JsonObject().put("id", "1").put("type", "subscribe").put("payload", new JsonObject()
              .put("query", "subscription { alertRaised(minSeverity: MEDIUM) { id ruleId severity status evidence { values } } }"))
              .encode());
        } else if (text.contains("\"next\"")) {
          int at = text.indexOf("benchSentNanos");
          if (at >= 0) {
            received(text, at, graphqlLatency, graphqlReceived);
          }
        } else if (text.contains("\"error\"")) {
          // the subscription ended, e.g. as a slow consumer
          graphqlEnded.incrementAndGet();
        } else if (text.contains("\"ping\"")) {
          ws.writeTextMessage("{\"type\":\"pong\"}");
        }
      });
      ws.closeHandler(v -> disconnects.incrementAndGet());
      ws.writeTextMessage(new JsonObject().put("type", "connection_init").put("payload", new JsonObject().put("x-api-key", KEY)).encode());
      return ws;
    });
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
