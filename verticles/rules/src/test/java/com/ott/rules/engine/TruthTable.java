package com.ott.rules.engine;

import com.ott.contract.traffic.ExpectedFinding;
import com.ott.contract.traffic.TrafficOptions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Compares findings with a generator's ground truth, per rule, by alert (rule, subject, window) and severity. */
final class TruthTable {
  record Key(String ruleId, String account, String content, String session, Instant window) {}

  record RuleScore(int truth, int found, int matched, int severityMismatches) {
    double precision() {
      return found == 0 ? 1.0 : matched / (double) found;
    }

    double recall() {
      return truth == 0 ? 1.0 : matched / (double) truth;
    }
  }

  final Map<Key, Severity> expected = new HashMap<>();
  final Map<Key, Severity> found = new HashMap<>();

  TruthTable(List<ExpectedFinding> truth, List<Finding> findings, RuleSettings settings) {
    for (ExpectedFinding e : truth) {
      expected.merge(key(e, settings), Severity.valueOf(e.severity()), Severity::max);
    }
    for (Finding f : findings) {
      found.merge(new Key(f.ruleId(), f.subject().accountToken(), f.subject().contentId(), f.subject().sessionId(),
          f.windowStart()), f.severity(), Severity::max);
    }
  }

  static Key key(ExpectedFinding e, RuleSettings settings) {
    Instant window;
    long at = e.at().toEpochMilli();
    switch (e.ruleId()) {
      case "license_window" -> window = e.sessionId() != null ? null
          : Windows.bucket(at, settings.rule(e.ruleId()).alertWindowSeconds());
      case "kids_ad_minutes" -> window = Windows.clockHour(at, settings.timeZone());
      default -> window = Windows.bucket(at, settings.rule(e.ruleId()).alertWindowSeconds());
    }
    return new Key(e.ruleId(), e.accountId(), e.contentId(), e.sessionId(), window);
  }

  Map<String, RuleScore> scores() {
    Map<String, RuleScore> out = new TreeMap<>();
    for (String rule : TrafficOptions.RULES) {
      int truth = 0;
      int matched = 0;
      int mismatches = 0;
      int found = 0;
      for (Map.Entry<Key, Severity> e : expected.entrySet()) {
        if (e.getKey().ruleId().equals(rule)) {
          truth++;
          Severity f = this.found.get(e.getKey());
          if (f != null) {
            matched++;
            if (f != e.getValue()) {
              mismatches++;
            }
          }
        }
      }
      for (Key k : this.found.keySet()) {
        if (k.ruleId().equals(rule)) {
          found++;
        }
      }
      out.put(rule, new RuleScore(truth, found, matched, mismatches));
    }
    return out;
  }

  List<Key> missing() {
    return expected.keySet().stream().filter(k -> !found.containsKey(k)).toList();
  }

  List<Key> unexpected() {
    return found.keySet().stream().filter(k -> !expected.containsKey(k)).toList();
  }

  String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-20s %7s %7s %7s %9s %7s %9s%n", "rule", "truth", "found", "matched",
        "precision", "recall", "severity"));
    scores().forEach((rule, s) -> sb.append(String.format(Locale.ROOT, "%-20s %7d %7d %7d %9.3f %7.3f %9s%n", rule,
        s.truth(), s.found(), s.matched(), s.precision(), s.recall(),
        s.severityMismatches() == 0 ? "ok" : s.severityMismatches() + " off")));
    return sb.toString();
  }
}
