package com.ott.rules.engine;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one batch in memory: records decoded once from what was loaded, updated by
 * the rules event after event, and written back once (only the keys that were put).
 */
public final class WorkingState {
  private static final Logger LOG = LoggerFactory.getLogger(WorkingState.class);
  private final Map<String, String> loaded;
  private final Map<String, Object> decoded = new HashMap<>();
  private final Map<String, Long> dirty = new LinkedHashMap<>();
  private final Map<String, Long> timers = new LinkedHashMap<>();

  public WorkingState(Map<String, String> loaded) {
    this.loaded = loaded;
  }

  /** The record under {@code key}: decoded from the loaded JSON, or {@code decoder.apply(null)} when there is none. */
  @SuppressWarnings("unchecked")
  public <T> T get(String key, Function<JsonObject, T> decoder) {
    Object value = decoded.get(key);
    if (value == null) {
      String raw = loaded.get(key);
      try {
        value = decoder.apply(raw == null ? null : new JsonObject(raw));
      } catch (RuntimeException e) {
        // a record this version cannot read (corrupt, or written by an incompatible version) starts afresh
        LOG.warn("unreadable rule state under {} replaced: {}", key, e.toString());
        value = decoder.apply(null);
      }
      decoded.put(key, value);
    }
    return (T) value;
  }

  /** Marks a record as changed; it is written at the end of the batch with that expiry (or deleted when empty). */
  public void put(String key, StateRecord record, long ttlMillis) {
    decoded.put(key, record);
    dirty.merge(key, ttlMillis, Math::max);
  }

  /** A raw value (for the engine's own small values). */
  public String raw(String key) {
    Object value = decoded.get(key);
    return value instanceof String s ? s : value == null ? loaded.get(key) : null;
  }

  public void putRaw(String key, String value, long ttlMillis) {
    decoded.put(key, value);
    dirty.merge(key, ttlMillis, Math::max);
  }

  /** Sets (or moves) a timer: the subject has a decision due once event time reaches {@code dueMillis}. */
  public void setTimer(String member, long dueMillis) {
    timers.put(member, dueMillis);
  }

  public void clearTimer(String member) {
    timers.put(member, -1L);
  }

  /** What to write back. */
  public StateChanges changes() {
    Map<String, StateChanges.Write> writes = new LinkedHashMap<>();
    dirty.forEach((key, ttl) -> {
      Object value = decoded.get(key);
      if (value instanceof StateRecord r) {
        writes.put(key, new StateChanges.Write(r.isEmpty() ? null : r.toJson().encode(), ttl));
      } else if (value instanceof String s) {
        writes.put(key, new StateChanges.Write(s, ttl));
      }
    });
    return new StateChanges(writes, new LinkedHashMap<>(timers));
  }
}
