package com.ott.runtime;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one process of the product: Vert.x (clustered over Hazelcast unless
 * {@code cluster.enabled} is false), metrics, the ops endpoints, then the
 * process's verticles, each given the whole configuration.
 */
public final class OttProcess {
  private static final Logger LOG = LoggerFactory.getLogger(OttProcess.class);

  /** A verticle of the process and how many instances to deploy. */
  public record Component(String name, Supplier<? extends Deployable> factory, int instances) {
    public static Component of(String name, Supplier<? extends Deployable> factory) {
      return new Component(name, factory, 1);
    }
  }

  /** A started process. */
  public record Running(String name, Vertx vertx, JsonObject config, HttpServer ops) {
    public int opsPort() {
      return ops.actualPort();
    }

    public Future<Void> close() {
      ProcessRuntime.unbind(vertx);
      return vertx.close();
    }
  }

  private OttProcess() {}

  /** Entry point of a process jar: starts and keeps running until the JVM is stopped. */
  public static void main(String name, List<Component> components) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("hazelcast.logging.type", "slf4j");
    JsonObject config;
    try {
      config = OttConfig.load();
    } catch (RuntimeException e) {
      LOG.error("configuration error: {}", e.getMessage());
      System.exit(2);
      return;
    }
    Running running;
    try {
      running = start(name, config, components).await(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      LOG.error("{} failed to start: {}", name, e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("{} stopping", name);
      CountDownLatch done = new CountDownLatch(1);
      running.close().onComplete(x -> done.countDown());
      try {
        done.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }, name + "-shutdown"));
  }

  public static Future<Running> start(String name, JsonObject config, List<Component> components) {
    ProcessRuntime runtime = ProcessRuntime.create();
    JsonObject cluster = OttConfig.section(config, "cluster");
    VertxOptions options = new VertxOptions()
        // no per-message event-bus meters: Vert.x looks a counter up for every message (a few % of the
        // pipeline's CPU) and labels it with per-tenant addresses; the verticles count what matters themselves
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
            .addDisabledMetricsCategory(io.vertx.micrometer.MetricsDomain.EVENT_BUS));
    VertxBuilder builder = Vertx.builder()
        .with(options)
        .withMetrics(new MicrometerMetricsFactory(runtime.prometheus()));
    Future<Vertx> vertxFuture;
    if (cluster.getBoolean("enabled", true)) {
      String host = cluster.getString("host", "127.0.0.1");
      options.getEventBusOptions().setHost(host).setClusterPublicHost(host).setPort(0);
      builder.withClusterManager(new HazelcastClusterManager(hazelcastConfig(cluster)));
      vertxFuture = builder.buildClustered();
    } else {
      vertxFuture = Future.succeededFuture(builder.build());
    }
    return vertxFuture.compose(vertx -> {
      ProcessRuntime.bind(vertx, runtime);
      // receivers must know the codec even if this process never sends with it
      com.ott.contract.SharedJson.register(vertx);
      return OpsServer.start(vertx, runtime, OttConfig.section(config, "ops"))
          .compose(ops -> deployAll(vertx, config, components).map(x -> {
            runtime.readiness().markStarted();
            LOG.info("{} started: {} (ops on port {})", name,
                components.stream().map(Component::name).toList(), ops.actualPort());
            return new Running(name, vertx, config, ops);
          }))
          .recover(err -> {
            // not chained on close(): its completion would be scheduled on the loops being shut down
            ProcessRuntime.unbind(vertx);
            vertx.close();
            return Future.failedFuture(err);
          });
    });
  }

  private static Future<Void> deployAll(Vertx vertx, JsonObject config, List<Component> components) {
    // sequential: later components may need earlier ones on the bus (e.g. gateway after tenancy)
    Future<Void> chain = Future.succeededFuture();
    List<String> ids = new ArrayList<>();
    for (Component c : components) {
      chain = chain.compose(x -> vertx.deployVerticle(c.factory(),
              new DeploymentOptions().setConfig(config).setInstances(c.instances()))
          .map(id -> {
            ids.add(id);
            return null;
          })
          .recover(err -> Future.failedFuture(new IllegalStateException(c.name() + ": " + err.getMessage(), err)))
          .mapEmpty());
    }
    return chain;
  }

  /** The Hazelcast configuration of a cluster section (also for tools that join the cluster, such as benchmarks). */
  public static Config hazelcastConfig(JsonObject cluster) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(cluster.getString("name", "ott"));
    // most of a default join is a wait for other members; on loopback one second is plenty
    hz.setProperty("hazelcast.wait.seconds.before.join", String.valueOf(cluster.getInteger("waitSecondsBeforeJoin", 1)));
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig net = hz.getNetworkConfig();
    // a member given without a port is looked for on each port of this range
    net.setPort(cluster.getInteger("port", 5701)).setPortAutoIncrement(true).setPortCount(cluster.getInteger("portCount", 10));
    String host = cluster.getString("host", "127.0.0.1");
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if ("kubernetes".equals(cluster.getString("join", "tcp"))) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", cluster.getString("kubernetesServiceDns", ""));
    } else {
      net.getInterfaces().setEnabled(true).addInterface(host);
      join.getTcpIpConfig().setEnabled(true);
      for (String member : cluster.getString("members", "127.0.0.1").split(",")) {
        String m = member.trim();
        if (!m.isEmpty()) {
          join.getTcpIpConfig().addMember(m);
        }
      }
    }
    return hz;
  }
}
