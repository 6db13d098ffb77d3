package com.ott.rules.engine;

import io.vertx.core.json.JsonObject;

/** A rule's per-subject state record, stored as JSON. */
public interface StateRecord {
  JsonObject toJson();

  /** True when the record holds nothing worth keeping (it is then deleted). */
  boolean isEmpty();
}
