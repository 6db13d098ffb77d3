package com.ott.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the verticles of one Vert.x instance share: the metrics registry and the
 * readiness checks. A verticle deployed without {@link OttProcess} (in a unit
 * test) gets its own fresh pair.
 */
public final class ProcessRuntime {
  private static final Map<Vertx, ProcessRuntime> BY_VERTX = new ConcurrentHashMap<>();

  private final PrometheusMeterRegistry registry;
  private final Readiness readiness = new Readiness();

  ProcessRuntime(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  static ProcessRuntime create() {
    return new ProcessRuntime(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  static void bind(Vertx vertx, ProcessRuntime runtime) {
    BY_VERTX.put(vertx, runtime);
  }

  static void unbind(Vertx vertx) {
    BY_VERTX.remove(vertx);
  }

  public static ProcessRuntime of(Vertx vertx) {
    return BY_VERTX.computeIfAbsent(vertx, v -> create());
  }

  public MeterRegistry meters() {
    return registry;
  }

  public PrometheusMeterRegistry prometheus() {
    return registry;
  }

  public Readiness readiness() {
    return readiness;
  }
}
