package com.ott.rules.engine;

import java.util.Map;

/**
 * The state changes of one batch.
 *
 * @param writes key to write; a write with a null value deletes the key
 * @param timers timer member to due time (epoch millis of event time); a negative due removes the timer
 */
public record StateChanges(Map<String, Write> writes, Map<String, Long> timers) {

  /** A value with its expiry; a null value deletes the key. */
  public record Write(String value, long ttlMillis) {}

  public boolean isEmpty() {
    return writes.isEmpty() && timers.isEmpty();
  }
}
