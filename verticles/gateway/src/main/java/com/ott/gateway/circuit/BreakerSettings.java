package com.ott.gateway.circuit;

import com.ott.runtime.OttConfig;
import io.vertx.core.json.JsonObject;

/**
 * Settings of the gateway's circuit breakers, section {@code gateway.circuitBreaker}: {@code maxFailures} (5)
 * failures within {@link #FAILURE_WINDOW_MS} open a breaker, {@code timeoutMs} (10000) is how long a downstream
 * call may take when it has no deadline of its own, {@code resetTimeoutMs} (5000) how long an open breaker answers
 * at once before it lets one probe through.
 */
public record BreakerSettings(int maxFailures, long timeoutMs, long resetTimeoutMs) {
  /** Failures older than this are forgotten (the library's rolling window). */
  public static final long FAILURE_WINDOW_MS = 10_000;
  public static final BreakerSettings DEFAULTS = new BreakerSettings(5, 10_000, 5_000);

  public BreakerSettings {
    if (maxFailures < 1 || timeoutMs < 1 || resetTimeoutMs < 1) {
      throw new IllegalArgumentException("gateway.circuitBreaker: maxFailures, timeoutMs and resetTimeoutMs must be >= 1");
    }
  }

  public static BreakerSettings from(JsonObject config) {
    JsonObject s = OttConfig.section(config, "gateway.circuitBreaker");
    return new BreakerSettings(s.getInteger("maxFailures", DEFAULTS.maxFailures()),
        s.getLong("timeoutMs", DEFAULTS.timeoutMs()), s.getLong("resetTimeoutMs", DEFAULTS.resetTimeoutMs()));
  }

  public BreakerSettings withResetTimeoutMs(long resetMs) {
    return new BreakerSettings(maxFailures, timeoutMs, resetMs);
  }
}
