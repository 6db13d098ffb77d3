package com.ott.rules.engine;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the engine (for metrics): events evaluated, late events, findings per rule, skipped events. */
public final class EngineCounters {
  private final LongAdder events = new LongAdder();
  private final LongAdder late = new LongAdder();
  private final LongAdder unparseable = new LongAdder();
  private final Map<String, LongAdder> findings = new ConcurrentHashMap<>();

  void event() {
    events.increment();
  }

  void late() {
    late.increment();
  }

  void unparseable() {
    unparseable.increment();
  }

  void finding(String ruleId) {
    findings.computeIfAbsent(ruleId, k -> new LongAdder()).increment();
  }

  public long events() {
    return events.sum();
  }

  /** Events older than their account's newest event by more than the allowed lateness (still evaluated). */
  public long lateEvents() {
    return late.sum();
  }

  /** Events without a known type, an id or a parseable occurredAt (skipped). */
  public long unparseableEvents() {
    return unparseable.sum();
  }

  public long findings(String ruleId) {
    LongAdder a = findings.get(ruleId);
    return a == null ? 0 : a.sum();
  }

  public Map<String, Long> findingsByRule() {
    Map<String, Long> out = new TreeMap<>();
    findings.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
