package com.ott.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The same GCRA as {@code gcra.lua}, held in this process: the fallback while Redis cannot be reached. It limits
 * each gateway instance on its own, so N instances together let through up to N times the tier's rate.
 */
final class LocalBuckets {
  private static final int MAX_TENANTS = 100_000;

  private final Map<String, Double> tats = new ConcurrentHashMap<>();

  RateLimiter.Decision acquire(String tenantId, RateLimiter.Limit limit, long nowMicros) {
    double interval = limit.intervalMicros();
    double capacity = interval * limit.burst();
    RateLimiter.Decision[] out = new RateLimiter.Decision[1];
    if (tats.size() > MAX_TENANTS) {
      tats.clear();
    }
    tats.compute(tenantId, (k, stored) -> {
      double tat = stored == null || stored < nowMicros ? nowMicros : stored;
      double newTat = tat + interval;
      double allowAt = newTat - capacity;
      if (allowAt > nowMicros) {
        long remaining = Math.max(0, (long) Math.floor((capacity - (tat - nowMicros)) / interval));
        out[0] = RateLimiter.Decision.of(false, limit, remaining, (long) Math.ceil(allowAt - nowMicros),
            (long) Math.ceil(tat - nowMicros), false, nowMicros);
        return tat;
      }
      out[0] = RateLimiter.Decision.of(true, limit, (long) Math.floor((capacity - (newTat - nowMicros)) / interval), 0,
          (long) Math.ceil(newTat - nowMicros), false, nowMicros);
      return newTat;
    });
    return out[0];
  }
}
