package com.ott.contract;

/**
 * The scoring stage's event-bus contract: metric series in, anomaly scores and ANOMALY findings out.
 *
 * <p>Series names: {@code events.<type>} (events of a type, e.g. {@code events.playback.start}) and
 * {@code violations.<ruleId>} (findings of a compliance rule). Each is bucketed per tenant by minute and by hour
 * of event time; a bucket is scored when it closes, and the result is published on
 * {@link Addresses#metrics(String)} as
 * {@code {type:"anomaly-score", series, resolution: minute|hour, bucket, bucketEnd, value, score, threshold,
 * anomalous, scores:{lstm, transformer}, model:{name, version}}} ({@code score} null until a model and 24 buckets
 * are there).
 */
public final class ScoringAddresses {
  private ScoringAddresses() {}

  /**
   * Publish, no reply: {@code {tenantId, series, at, count}} adds {@code count} (default 1) to the series' buckets
   * holding {@code at} (RFC 3339 or epoch milliseconds). The pipeline publishes these.
   */
  public static final String OBSERVE = "ott.scoring.observe";
  /**
   * Publish, no reply: {@code {tenantId, events:[{type, occurredAt, ...}], findings:[{ruleId, occurredAt}]}} counts
   * each event into {@code events.<type>} and each finding into {@code violations.<ruleId>}.
   */
  public static final String OBSERVE_BATCH = "ott.scoring.observe-batch";
  /**
   * Send, no reply (consumed by the alert store): an ANOMALY finding
   * {@code {kind:"ANOMALY", tenantId, ruleId:"anomaly.<series>", severity: LOW|MEDIUM|HIGH, subject:{series,
   * resolution}, eventId:null, occurredAt, dedupKey, evidence:{values:{...}}, explanation}}. Findings with the same
   * {@code dedupKey} belong to one alert.
   */
  public static final String ALERTS_RAISE = "ott.alerts.raise";
  /** {@code {}} -> {@code {models:{<resolution>:{version, dir}|null}}}: loads the newest valid model versions now. */
  public static final String RELOAD = "ott.scoring.reload";
  /**
   * {@code {resolution?}} -> {@code {results:[{name, promoted, version, reason}]}}: retrains from the stored series
   * off the event loop and promotes a candidate only when its validation is not worse; fails 409 while a retraining
   * is already running.
   */
  public static final String RETRAIN = "ott.scoring.retrain";
  /** {@code {}} -> {@code {models:{...}, series, bucketsScored, retraining}}. */
  public static final String STATUS = "ott.scoring.status";

  public static String eventsSeries(String eventType) {
    return "events." + eventType;
  }

  public static String violationsSeries(String ruleId) {
    return "violations." + ruleId;
  }

  /** The rule id of anomaly alerts on a series. */
  public static String anomalyRuleId(String series) {
    return "anomaly." + series;
  }
}
