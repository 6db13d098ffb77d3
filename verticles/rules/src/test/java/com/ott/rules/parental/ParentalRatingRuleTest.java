package com.ott.rules.parental;

import static com.ott.rules.testing.RuleHarness.title;
import static org.assertj.core.api.Assertions.assertThat;

import com.ott.rules.engine.Severity;
import com.ott.rules.testing.Ev;
import com.ott.rules.testing.RuleHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ParentalRatingRuleTest {
  private static final String ID = ParentalRatingRule.ID;

  private RuleHarness harness() {
    return new RuleHarness()
        .titles(title("g", "G", "*"), title("pg", "PG", "*"), title("pg13", "PG-13", "*"), title("r", "R", "*"),
            title("tv14", "TV-14", "*"), title("nr", "NR", "*"))
        .accounts(new JsonObject().put("accountId", "fam").put("profiles", new JsonObject()
            .put("kid", "LITTLE_KIDS").put("older", "OLDER_KIDS").put("teen", "TEENS").put("mum", "ADULTS")));
  }

  private static JsonObject start(String profile, String content) {
    return Ev.start("2025-03-05T18:00:00Z", "fam", "tv", "s-" + profile + "-" + content, content, "US")
        .put("profileId", profile);
  }

  @Test
  void aKidsProfileAboveItsTierIsHighAndATeenProfileMedium() {
    RuleHarness h = harness();
    h.arrive(start("kid", "r"), start("teen", "r"));
    assertThat(h.of(ID)).extracting(f -> f.severity()).containsExactly(Severity.HIGH, Severity.MEDIUM);
    assertThat(h.of(ID).get(0).evidence().getString("profileTier")).isEqualTo("LITTLE_KIDS");
  }

  @Test
  void aProfileMayWatchItsOwnTierAndBelow() {
    RuleHarness h = harness();
    h.arrive(start("kid", "g"), start("older", "pg"), start("older", "g"), start("teen", "pg13"),
        start("teen", "tv14"), start("mum", "r"), start("mum", "nr"));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void oneTierAboveIsAlreadyAViolation() {
    RuleHarness h = harness();
    h.arrive(start("kid", "pg"), start("older", "pg13"), start("teen", "nr"));
    assertThat(h.of(ID)).extracting(f -> f.severity()).containsExactly(Severity.HIGH, Severity.HIGH, Severity.MEDIUM);
  }

  @Test
  void theParentalPinAllowsIt() {
    RuleHarness h = harness();
    h.arrive(start("kid", "r").put("pinVerified", true));
    assertThat(h.of(ID)).isEmpty();
  }

  @Test
  void theAccountsReferenceDataWinsOverWhatTheEventClaims() {
    RuleHarness h = harness();
    h.arrive(start("kid", "r").put("profileMaturity", "ADULTS"));
    assertThat(h.of(ID)).singleElement().extracting(f -> f.severity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void withoutReferenceDataTheEventsMaturityCountsAndAdultsIsTheDefault() {
    RuleHarness h = harness();
    h.arrive(Ev.start("2025-03-05T18:00:00Z", "stranger", "tv", "s1", "tv14", "US").put("profileId", "p")
            .put("profileMaturity", "OLDER_KIDS"),
        Ev.start("2025-03-05T18:00:00Z", "stranger", "tv", "s2", "r", "US").put("profileId", "p"));
    assertThat(h.of(ID)).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.HIGH);
      assertThat(f.subject().contentId()).isEqualTo("tv14");
    });
  }
}
