package com.ott.rules.kidsads;

import static com.ott.rules.testing.RuleHarness.title;
import static org.assertj.core.api.Assertions.assertThat;

import com.ott.rules.engine.Severity;
import com.ott.rules.testing.Ev;
import com.ott.rules.testing.RuleHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class KidsTargetedAdRuleTest {
  private static final String ID = KidsTargetedAdRule.ID;

  private RuleHarness harness() {
    return new RuleHarness().titles(title("cartoon", "TV-Y", "*").put("kidsContent", true), title("drama", "TV-MA", "*"))
        .accounts(new JsonObject().put("accountId", "fam").put("profiles",
            new JsonObject().put("kid", "OLDER_KIDS").put("dad", "ADULTS")));
  }

  @Test
  void aPersonalisedAdOnKidsContentIsHigh() {
    RuleHarness h = harness();
    h.arrive(Ev.ad("2025-03-05T10:00:00Z", "fam", "cartoon", 30, true, false, "755").put("profileId", "dad"));
    assertThat(h.of(ID)).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.HIGH);
      assertThat(f.explanation()).contains("personalised").contains("kids content");
    });
  }

  @Test
  void personalIdentifiersAloneAreEnough() {
    RuleHarness h = harness();
    h.arrive(Ev.ad("2025-03-05T10:00:00Z", "fam", "cartoon", 30, false, true, "755"));
    assertThat(h.of(ID)).hasSize(1);
  }

  @Test
  void aKidsProfileIsProtectedOnAnyContent() {
    RuleHarness h = harness();
    h.arrive(Ev.ad("2025-03-05T10:00:00Z", "fam", "drama", 30, false, true, "755").put("profileId", "kid"));
    assertThat(h.of(ID)).singleElement().satisfies(f -> assertThat(f.evidence().getString("profileTier"))
        .isEqualTo("OLDER_KIDS"));
  }

  @Test
  void contextualAdsForKidsAndTargetedAdsForAdultsAreFine() {
    RuleHarness h = harness();
    h.arrive(Ev.ad("2025-03-05T10:00:00Z", "fam", "cartoon", 30, false, false, "755").put("profileId", "kid"),
        Ev.ad("2025-03-05T10:00:00Z", "fam", "drama", 30, true, true, "755").put("profileId", "dad"));
    assertThat(h.of(ID)).isEmpty();
  }
}
