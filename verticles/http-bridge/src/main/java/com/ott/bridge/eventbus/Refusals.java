package com.ott.bridge.eventbus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every refused bridge request and every forced disconnect is counted in {@code ott_bridge_refusals{reason,kind}}
 * and logged, at most one line per reason and second (a hostile client cannot flood the log; the line says how
 * many were left out).
 */
final class Refusals {
  private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);
  private static final long LOG_EVERY_MS = 1000;

  private record Throttle(long lastLogged, long suppressed) {}

  private final MeterRegistry meters;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Throttle> throttles = new ConcurrentHashMap<>();

  Refusals(MeterRegistry meters) {
    this.meters = meters;
  }

  /**
   * @param reason unauthenticated, forbidden_address, inbound_refused, origin, slow_consumer, idle, ...
   * @param kind the frame or event refused: register, send, publish, socket
   */
  void record(String reason, String kind, String tenantId, String address, String detail) {
    counters.computeIfAbsent(reason + "|" + kind, k -> Counter.builder("ott_bridge_refusals")
        .description("bridge requests refused and sockets disconnected, by reason")
        .tag("reason", reason).tag("kind", kind).register(meters)).increment();
    long now = System.currentTimeMillis();
    Throttle t = throttles.get(reason);
    if (t != null && now - t.lastLogged() < LOG_EVERY_MS) {
      throttles.put(reason, new Throttle(t.lastLogged(), t.suppressed() + 1));
      return;
    }
    long suppressed = t == null ? 0 : t.suppressed();
    throttles.put(reason, new Throttle(now, 0));
    // addresses are tenant ids and bus names, never personal data
    LOG.warn("bridge refused {} ({}): tenant={} address={} {}{}", kind, reason, tenantId == null ? "-" : tenantId,
        address == null ? "-" : truncate(address), detail,
        suppressed > 0 ? " (" + suppressed + " more of this reason not logged)" : "");
  }

  private static String truncate(String s) {
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }
}
