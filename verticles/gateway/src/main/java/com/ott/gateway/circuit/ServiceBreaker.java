package com.ott.gateway.circuit;

import com.ott.runtime.ProcessRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker in front of one downstream service (vertx-circuit-breaker). Closed, calls go through and
 * those that fail as "unavailable" ({@code isFailure}) are counted; {@code maxFailures} of them within 10 s open
 * it. Open, every call fails at once with {@link CircuitOpen} (503 + Retry-After for the client) for
 * {@code resetTimeoutMs}; then it is half-open: the next call is a probe, the others still fail fast, and the
 * probe's success closes the breaker, its failure opens it again.
 *
 * <p>Metrics: {@code ott_circuit_state{breaker}} (0 closed, 1 half-open, 2 open), {@code
 * ott_circuit_calls_total{breaker, outcome=success|failure|rejected}} and {@code
 * ott_circuit_transitions_total{breaker, state}}.
 */
public final class ServiceBreaker {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceBreaker.class);

  private final String name;
  private final CircuitBreaker breaker;
  private final Predicate<Throwable> isFailure;
  private final long resetTimeoutMs;
  private final Counter succeeded;
  private final Counter failed;
  private final Counter rejected;
  private volatile long openedAt;

  /**
   * A breaker named {@code name}; {@code isFailure} tells which failed calls count against the service (a refusal
   * such as 404 or 409 is an answer, not an outage).
   */
  public ServiceBreaker(Vertx vertx, String name, BreakerSettings settings, Predicate<Throwable> isFailure) {
    this.name = name;
    this.isFailure = isFailure;
    this.resetTimeoutMs = settings.resetTimeoutMs();
    // deadlines are the calls' own (a bus send timeout, a Redis timeout): a timer here would leave the call running
    this.breaker = CircuitBreaker.create("ott-gateway-" + name, vertx, new CircuitBreakerOptions()
        .setMaxFailures(settings.maxFailures())
        .setTimeout(-1)
        .setResetTimeout(settings.resetTimeoutMs())
        .setFailuresRollingWindow(BreakerSettings.FAILURE_WINDOW_MS)
        // no periodic state broadcast on the bus: the state is a metric
        .setNotificationAddress(null));
    breaker.failurePolicy(f -> f.failed() && isFailure.test(f.cause()));
    MeterRegistry meters = ProcessRuntime.of(vertx).meters();
    Gauge.builder("ott.circuit.state", this, ServiceBreaker::stateValue)
        .description("Circuit breaker state in front of a downstream service: 0 closed, 1 half-open, 2 open")
        .tag("breaker", name).register(meters);
    succeeded = calls(meters, "success");
    failed = calls(meters, "failure");
    rejected = calls(meters, "rejected");
    Counter toOpen = transitions(meters, "open");
    Counter toHalfOpen = transitions(meters, "half_open");
    Counter toClosed = transitions(meters, "closed");
    breaker.openHandler(v -> {
      openedAt = System.currentTimeMillis();
      toOpen.increment();
      LOG.warn("circuit {} opened: calls fail fast for {} ms", name, resetTimeoutMs);
    });
    breaker.halfOpenHandler(v -> {
      toHalfOpen.increment();
      LOG.info("circuit {} half-open: the next call probes the service", name);
    });
    breaker.closeHandler(v -> {
      toClosed.increment();
      LOG.info("circuit {} closed", name);
    });
  }

  public String name() {
    return name;
  }

  public CircuitBreakerState state() {
    return breaker.state();
  }

  /** Runs {@code call} through the breaker; fails with {@link CircuitOpen} without running it while open. */
  public <T> Future<T> execute(Supplier<Future<T>> call) {
    return breaker.<T>execute(call).transform(ar -> {
      if (ar.succeeded()) {
        succeeded.increment();
        return Future.succeededFuture(ar.result());
      }
      Throwable cause = ar.cause();
      if (cause instanceof OpenCircuitException) {
        rejected.increment();
        return Future.failedFuture(new CircuitOpen(name, retryAfterSeconds()));
      }
      (isFailure.test(cause) ? failed : succeeded).increment();
      return Future.failedFuture(cause);
    });
  }

  /** Seconds until the breaker lets a probe through (at least 1). */
  long retryAfterSeconds() {
    long left = openedAt + resetTimeoutMs - System.currentTimeMillis();
    return Math.max(1, (left + 999) / 1000);
  }

  private double stateValue() {
    return switch (breaker.state()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  private Counter calls(MeterRegistry meters, String outcome) {
    return Counter.builder("ott.circuit.calls").description("Calls through a circuit breaker, by outcome")
        .tag("breaker", name).tag("outcome", outcome).register(meters);
  }

  private Counter transitions(MeterRegistry meters, String state) {
    return Counter.builder("ott.circuit.transitions").description("Circuit breaker state changes, by new state")
        .tag("breaker", name).tag("state", state).register(meters);
  }
}
