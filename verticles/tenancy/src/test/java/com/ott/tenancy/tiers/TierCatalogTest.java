package com.ott.tenancy.tiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ott.tenancy.Tier;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TierCatalogTest {

  @Test
  void the_shipped_tiers_file_defines_all_four_tiers_with_growing_limits() throws Exception {
    TierCatalog shipped = TierCatalog.parse(Files.readString(Path.of("../../conf/tiers.yaml")));
    TierCatalog packaged = TierCatalog.classpathCopy();
    assertThat(packaged.toJson()).isEqualTo(shipped.toJson());
    long previousRate = 0;
    for (Tier t : Tier.values()) {
      TierDefinition d = shipped.of(t);
      assertThat(d.requestsPerSecond()).isGreaterThan(previousRate);
      assertThat(d.burst()).isGreaterThanOrEqualTo(d.requestsPerSecond());
      previousRate = d.requestsPerSecond();
    }
    assertThat(shipped.of(Tier.FREE).pricePerMonth()).isZero();
    assertThat(shipped.of(Tier.FREE).isHardQuota(Meter.EVENTS)).isTrue();
    assertThat(shipped.of(Tier.STANDARD).isHardQuota(Meter.EVENTS)).isFalse();
    assertThat(shipped.currency()).isEqualTo("USD");
    assertThat(shipped.of(Tier.PREMIUM).toJson().getJsonObject("overage").getJsonObject("events").getLong("unit")).isEqualTo(100_000L);
  }

  @Test
  void decimal_prices_missing_tiers_and_unknown_fields_are_refused_with_their_paths() {
    String yaml = """
        currency: usd
        tiers:
          FREE: {requestsPerSecond: 5, burst: 10, eventsPerMonth: 1, apiCallsPerMonth: 1, storageBytes: 1,
                 dataRetentionDays: 7, dashboardSeats: 1, pricePerMonth: 49.00, colour: red}
          STANDARD: {requestsPerSecond: 0, burst: 10, eventsPerMonth: 1, apiCallsPerMonth: 1, storageBytes: 1,
                 dataRetentionDays: 7, dashboardSeats: 1, pricePerMonth: 1, overage: {events: {unit: 0, price: 1}, bytes: {}}}
          GOLD: {}
        """;
    assertThatThrownBy(() -> TierCatalog.parse(yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("currency: an ISO 4217 code")
        .hasMessageContaining("tiers.FREE.pricePerMonth: required, an integer >= 0 (amounts are integer minor units")
        .hasMessageContaining("tiers.FREE.colour: unknown field")
        .hasMessageContaining("tiers.STANDARD.requestsPerSecond: required, an integer >= 1")
        .hasMessageContaining("tiers.STANDARD.overage.events.unit: required, an integer >= 1")
        .hasMessageContaining("tiers.STANDARD.overage.bytes: unknown meter")
        .hasMessageContaining("tiers.GOLD: unknown tier")
        .hasMessageContaining("tiers.PREMIUM: missing")
        .hasMessageContaining("tiers.ENTERPRISE: missing");
    assertThatThrownBy(() -> TierCatalog.parse("tiers: [")).hasMessageContaining("not valid YAML");
  }

  @Test
  void an_edited_file_applies_without_restart_and_an_invalid_edit_keeps_the_previous_tiers(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tiers.yaml");
    String original = Files.readString(Path.of("../../conf/tiers.yaml"));
    Files.writeString(file, original);
    Vertx vertx = Vertx.vertx();
    try {
      TierCatalogWatcher watcher = TierCatalogWatcher.start(vertx, file.toString(), 0).await(10, TimeUnit.SECONDS);
      assertThat(watcher.current().of(Tier.STANDARD).requestsPerSecond()).isEqualTo(50);
      assertThat(watcher.checkNow().await(10, TimeUnit.SECONDS)).isFalse();

      Files.writeString(file, original.replace("requestsPerSecond: 50", "requestsPerSecond: 75"));
      assertThat(watcher.checkNow().await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(watcher.current().of(Tier.STANDARD).requestsPerSecond()).isEqualTo(75);

      Files.writeString(file, original.replace("pricePerMonth: 4900", "pricePerMonth: 49.00"));
      assertThat(watcher.checkNow().await(10, TimeUnit.SECONDS)).isFalse();
      assertThat(watcher.current().of(Tier.STANDARD).requestsPerSecond()).isEqualTo(75);
      watcher.stop();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void an_explicit_file_wins_over_the_working_directory() {
    assertThat(TierCatalog.locate("/etc/ott/tiers.yaml")).contains(Path.of("/etc/ott/tiers.yaml"));
    // the module directory has no conf/: the packaged copy is used
    assertThat(TierCatalog.locate(null)).isEmpty();
  }
}
