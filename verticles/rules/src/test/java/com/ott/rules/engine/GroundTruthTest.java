package com.ott.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.traffic.TrafficOptions;
import com.ott.rules.reference.RedisReferenceData;
import com.ott.rules.testing.RedisSupport;
import com.ott.rules.testing.Traffic;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * At least 100,000 generated events, with violations of every rule injected at known places
 * and near misses beside them, through the engine with its state in real Redis: the alerts
 * must be exactly the injected ones, for every rule.
 */
class GroundTruthTest {

  @Test
  void theAlertsFoundAreExactlyTheInjectedViolations() {
    Traffic traffic = new Traffic(2025, 100_000, TrafficOptions.defaults().withViolationRate(0.02));
    assertThat(traffic.events).hasSizeGreaterThanOrEqualTo(100_000);
    String tenant = RedisSupport.tenant("truth");
    try (RedisSupport redis = new RedisSupport()) {
      try {
        RedisReferenceData reference = new RedisReferenceData(redis.redis);
        traffic.loadReference(reference, tenant);
        RuleEngine engine = new RuleEngine(reference, new RedisRuleState(redis.redis), RuleSettings.defaults());
        long t0 = System.nanoTime();
        List<Finding> findings = Traffic.run(engine, tenant, traffic.events, 2_000, true);
        double seconds = (System.nanoTime() - t0) / 1e9;

        TruthTable table = new TruthTable(traffic.truth, findings, RuleSettings.defaults());
        System.out.printf(Locale.ROOT, "ground truth: %d events (%d sessions), %d findings, %d late events, "
                + "%.1f s = %.0f events/s through the engine with Redis state%n%s",
            traffic.events.size(), traffic.generator.sessions(), findings.size(),
            engine.counters().lateEvents(), seconds, traffic.events.size() / seconds, table.render());
        assertThat(engine.counters().lateEvents()).isZero();
        assertThat(table.missing()).as("injected violations not found").isEmpty();
        assertThat(table.unexpected()).as("alerts that were not injected").isEmpty();
        table.scores().forEach((rule, score) -> {
          assertThat(score.truth()).as(rule + " injected").isGreaterThanOrEqualTo(15);
          assertThat(score.precision()).as(rule + " precision").isEqualTo(1.0);
          assertThat(score.recall()).as(rule + " recall").isEqualTo(1.0);
          assertThat(score.severityMismatches()).as(rule + " severity").isZero();
        });
      } finally {
        redis.drop(tenant);
      }
    }
  }
}
