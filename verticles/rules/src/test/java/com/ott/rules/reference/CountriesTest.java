package com.ott.rules.reference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountriesTest {

  @Test
  void mostOfIso3166HasACapital() {
    assertThat(Countries.codes()).hasSizeGreaterThanOrEqualTo(240).contains("US", "DE", "JP", "BR", "ZA", "NZ", "XK");
    assertThat(Countries.codes()).allSatisfy(code -> assertThat(code).matches("[A-Z]{2}"));
  }

  @Test
  void theEuAndEeaAreThe27MembersPlusIcelandLiechtensteinAndNorway() {
    assertThat(Countries.euEea()).hasSize(30).contains("DE", "FR", "IE", "CY", "IS", "LI", "NO")
        .doesNotContain("GB", "CH", "TR");
  }

  @Test
  void distancesAreGreatCirclesBetweenCapitals() {
    assertThat(Countries.capitalDistanceKm("FR", "DE")).isBetween(870.0, 885.0);
    assertThat(Countries.capitalDistanceKm("GB", "US")).isBetween(5850.0, 5950.0);
    assertThat(Countries.capitalDistanceKm("BE", "NL")).isBetween(165.0, 180.0);
    assertThat(Countries.capitalDistanceKm("AU", "GB")).isBetween(16_900.0, 17_100.0);
    assertThat(Countries.capitalDistanceKm("DE", "DE")).isZero();
    assertThat(Countries.capitalDistanceKm("DE", "??")).isNaN();
  }
}
