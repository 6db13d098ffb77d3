package com.ott.runtime;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The named dependency checks behind {@code /health/ready}; verticles register what they need. */
public final class Readiness {
  private final Map<String, Supplier<Future<?>>> checks = new ConcurrentHashMap<>();
  private volatile boolean started;

  public void register(String name, Supplier<Future<?>> check) {
    checks.put(name, check);
  }

  public void unregister(String name) {
    checks.remove(name);
  }

  /** Marks the process as having deployed all of its verticles. */
  public void markStarted() {
    started = true;
  }

  /** Runs every check; the result has {@code status} UP only when all pass and the process has started. */
  public Future<JsonObject> check(long timeoutMs) {
    List<String> names = new ArrayList<>(checks.keySet());
    List<Future<String>> results = new ArrayList<>();
    for (String name : names) {
      Future<String> f;
      try {
        f = checks.get(name).get().map(x -> "UP");
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      results.add(f.timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)
          .otherwise(err -> "DOWN: " + (err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage())));
    }
    return Future.join(results).otherwise(x -> null).map(x -> {
      JsonObject details = new JsonObject();
      boolean up = started;
      for (int i = 0; i < names.size(); i++) {
        String r = results.get(i).result();
        details.put(names.get(i), r);
        up &= "UP".equals(r);
      }
      if (!started) {
        details.put("verticles", "DOWN: still starting");
      }
      return new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", details);
    });
  }
}
