package com.ott.rules.engine;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Storage of rule state: small per-subject records (JSON text) under keys relative to a
 * tenant's namespace, each with an expiry, plus a per-tenant set of timers (member to
 * due event time) that tells which subjects have decisions waiting for their event time
 * to become final. Reads and writes are batched: one round trip each per batch of events.
 */
public interface RuleState {

  /** The values of those keys that exist (missing and expired keys are absent from the map). */
  Future<Map<String, String>> getAll(String tenantId, Collection<String> keys);

  /** Applies the writes (set with expiry, or delete) and timer changes of one batch. */
  Future<Void> apply(String tenantId, StateChanges changes);

  /** Timer members due at or before {@code upToMillis} (event time), earliest first, at most {@code limit}. */
  Future<List<String>> dueTimers(String tenantId, long upToMillis, int limit);
}
