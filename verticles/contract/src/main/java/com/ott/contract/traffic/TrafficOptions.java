package com.ott.contract.traffic;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shape of generated traffic. Immutable; change it with the {@code with*} methods.
 *
 * @param accounts ordinary accounts (their traffic never violates a rule by itself)
 * @param titles evergreen catalogue titles (besides titles whose licence ends or starts during the run)
 * @param sessionsPerAccountPerDay how often an ordinary account starts playback (sets the event-time density)
 * @param meanSessionMinutes mean playback length
 * @param heartbeatIntervalSeconds playback.heartbeat interval (the rules' default is 30)
 * @param maxJitterSeconds how far an event may be emitted after later events (keep it below the rules' lateness, 300)
 * @param ipv6Share share of accounts on IPv6
 * @param violationRates rule id to the probability that a session start is replaced by an injected violation of it
 * @param controlRate probability that a session start is replaced by a near-miss that must not be reported
 * @param zone the tenant time zone (clock hours, calendar days)
 * @param scenarioAccounts accounts reserved for injected multi-session patterns (reused round robin when exhausted)
 * @param backdateMultiDay when true, patterns spanning hours or days (credential sharing, travel, portability) put
 *     their earlier part in the past instead of the future, so they are reported within minutes (demo); such
 *     events are emitted late
 */
public record TrafficOptions(int accounts, int titles, double sessionsPerAccountPerDay, int meanSessionMinutes,
    int heartbeatIntervalSeconds, int maxJitterSeconds, double ipv6Share, Map<String, Double> violationRates,
    double controlRate, ZoneId zone, int scenarioAccounts, boolean backdateMultiDay) {

  /** The eleven rule ids, in DOMAIN.md order. */
  public static final List<String> RULES = List.of("geo_restriction", "license_window", "concurrent_streams",
      "credential_sharing", "impossible_travel", "vpn_playback", "parental_rating", "kids_ad_minutes",
      "kids_targeted_ad", "consent_violation", "captions_missing");

  public TrafficOptions {
    violationRates = Map.copyOf(violationRates);
    for (String rule : violationRates.keySet()) {
      if (!RULES.contains(rule)) {
        throw new IllegalArgumentException("unknown rule " + rule);
      }
    }
    if (maxJitterSeconds < 0 || accounts < 1 || titles < 10 || scenarioAccounts < 1) {
      throw new IllegalArgumentException("invalid traffic options");
    }
  }

  /** 1,000 accounts, 3 sessions a day each, every rule injected on 1% of session starts. */
  public static TrafficOptions defaults() {
    return new TrafficOptions(1000, 300, 3, 20, 30, 120, 0.2, rates(0.01), 0.02, ZoneId.of("UTC"), 5000, false);
  }

  /**
   * For the product demo: a steady stream in which every rule fires within a few minutes (the
   * caller paces it to wall-clock time with {@link TrafficGenerator#until}).
   */
  public static TrafficOptions demo() {
    return new TrafficOptions(300, 200, 72, 12, 30, 20, 0.2, rates(0.06), 0.03, ZoneId.of("UTC"), 20000, true);
  }

  public TrafficOptions withAccounts(int n) {
    return new TrafficOptions(n, titles, sessionsPerAccountPerDay, meanSessionMinutes, heartbeatIntervalSeconds,
        maxJitterSeconds, ipv6Share, violationRates, controlRate, zone, scenarioAccounts, backdateMultiDay);
  }

  public TrafficOptions withSessionsPerAccountPerDay(double n) {
    return new TrafficOptions(accounts, titles, n, meanSessionMinutes, heartbeatIntervalSeconds,
        maxJitterSeconds, ipv6Share, violationRates, controlRate, zone, scenarioAccounts, backdateMultiDay);
  }

  /** The same injection rate for every rule. */
  public TrafficOptions withViolationRate(double rate) {
    return withViolationRates(rates(rate));
  }

  public TrafficOptions withViolationRate(String ruleId, double rate) {
    Map<String, Double> r = new LinkedHashMap<>(violationRates);
    r.put(ruleId, rate);
    return withViolationRates(r);
  }

  public TrafficOptions withViolationRates(Map<String, Double> rates) {
    return new TrafficOptions(accounts, titles, sessionsPerAccountPerDay, meanSessionMinutes,
        heartbeatIntervalSeconds, maxJitterSeconds, ipv6Share, rates, controlRate, zone, scenarioAccounts,
        backdateMultiDay);
  }

  public TrafficOptions withControlRate(double rate) {
    return new TrafficOptions(accounts, titles, sessionsPerAccountPerDay, meanSessionMinutes,
        heartbeatIntervalSeconds, maxJitterSeconds, ipv6Share, violationRates, rate, zone, scenarioAccounts,
        backdateMultiDay);
  }

  public TrafficOptions withMaxJitterSeconds(int seconds) {
    return new TrafficOptions(accounts, titles, sessionsPerAccountPerDay, meanSessionMinutes,
        heartbeatIntervalSeconds, seconds, ipv6Share, violationRates, controlRate, zone, scenarioAccounts,
        backdateMultiDay);
  }

  public TrafficOptions withZone(ZoneId z) {
    return new TrafficOptions(accounts, titles, sessionsPerAccountPerDay, meanSessionMinutes,
        heartbeatIntervalSeconds, maxJitterSeconds, ipv6Share, violationRates, controlRate, z, scenarioAccounts,
        backdateMultiDay);
  }

  public TrafficOptions withScenarioAccounts(int n) {
    return new TrafficOptions(accounts, titles, sessionsPerAccountPerDay, meanSessionMinutes,
        heartbeatIntervalSeconds, maxJitterSeconds, ipv6Share, violationRates, controlRate, zone, n,
        backdateMultiDay);
  }

  public double violationRate(String ruleId) {
    return violationRates.getOrDefault(ruleId, 0.0);
  }

  private static Map<String, Double> rates(double rate) {
    Map<String, Double> r = new LinkedHashMap<>();
    RULES.forEach(id -> r.put(id, rate));
    return r;
  }
}
