package com.ott.rules.testing;

import com.ott.contract.traffic.ExpectedFinding;
import com.ott.contract.traffic.TrafficGenerator;
import com.ott.contract.traffic.TrafficOptions;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.RuleEngine;
import com.ott.rules.reference.ReferenceBodies;
import com.ott.rules.reference.ReferenceData;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Generated traffic with its reference data and ground truth, and a way to push it through an engine. */
public final class Traffic {
  public static final Instant START = Instant.parse("2025-03-07T00:00:00Z");
  public final TrafficGenerator generator;
  public final List<JsonObject> events;
  public final List<ExpectedFinding> truth;

  public Traffic(long seed, int events, TrafficOptions options) {
    this.generator = new TrafficGenerator(seed, START, options);
    List<JsonObject> all = new ArrayList<>(generator.next(events));
    all.addAll(generator.drain());
    this.events = all;
    this.truth = generator.groundTruth();
  }

  /** Puts the catalogue and accounts (validated like the PUT endpoints) for a tenant. */
  public void loadReference(ReferenceData reference, String tenant) {
    loadReference(generator, reference, tenant);
  }

  public static void loadReference(TrafficGenerator generator, ReferenceData reference, String tenant) {
    ReferenceBodies.Parsed<com.ott.rules.reference.Title> titles = ReferenceBodies.titles(generator.catalog());
    ReferenceBodies.Parsed<com.ott.rules.reference.Account> accounts = ReferenceBodies.accounts(generator.accounts());
    if (!titles.valid() || !accounts.valid()) {
      throw new IllegalStateException("generated reference data is invalid: " + titles.errors() + accounts.errors());
    }
    RuleHarness.await(reference.upsertTitles(tenant, titles.entries()));
    RuleHarness.await(reference.upsertAccounts(tenant, accounts.entries()));
  }

  /** Evaluates events[from, to) in batches of {@code batch}, one after the other; then optionally flushes. */
  public static List<Finding> run(RuleEngine engine, String tenant, List<JsonObject> events, int batch, boolean flush) {
    List<Finding> findings = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < events.size(); i += batch) {
      List<JsonObject> slice = events.subList(i, Math.min(events.size(), i + batch));
      chain = chain.compose(v -> engine.evaluate(tenant, slice)).map(f -> {
        findings.addAll(f);
        return null;
      });
    }
    if (flush) {
      chain = chain.compose(v -> engine.advanceWatermark(tenant, Instant.parse("2100-01-01T00:00:00Z")))
          .map(f -> {
            findings.addAll(f);
            return null;
          });
    }
    RuleHarness.await(chain);
    return findings;
  }
}
