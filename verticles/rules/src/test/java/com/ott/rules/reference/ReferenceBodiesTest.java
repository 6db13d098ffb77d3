package com.ott.rules.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReferenceBodiesTest {

  @Test
  void aValidCatalogueBecomesTitles() {
    JsonArray body = new JsonArray()
        .add(new JsonObject().put("contentId", "c1").put("title", "One").put("rating", "tv-14")
            .put("territories", new JsonArray().add("US").add("CA")).put("availableFrom", "2025-01-01T00:00:00Z")
            .put("availableUntil", "2025-06-01T00:00:00+02:00").put("requiresCaptions", true))
        .add(new JsonObject().put("contentId", "c2").put("title", "Two").put("rating", "G").put("territories", "*")
            .put("kidsContent", true).put("blockAnonymizers", true));
    ReferenceBodies.Parsed<Title> parsed = ReferenceBodies.titles(body);
    assertThat(parsed.valid()).isTrue();
    Title one = parsed.entries().get(0);
    assertThat(one.rating()).isEqualTo("TV-14");
    assertThat(one.tier()).isEqualTo(Maturity.TEENS);
    assertThat(one.licensedIn("CA")).isTrue();
    assertThat(one.licensedIn("GB")).isFalse();
    assertThat(one.availableUntil()).isEqualTo(Instant.parse("2025-05-31T22:00:00Z"));
    assertThat(one.requiresCaptions()).isTrue();
    Title two = parsed.entries().get(1);
    assertThat(two.territories()).isNull();
    assertThat(two.licensedIn("JP")).isTrue();
    assertThat(Title.fromJson(two.toJson())).isEqualTo(two);
    assertThat(Title.fromJson(one.toJson())).isEqualTo(one);
  }

  @Test
  void everyInvalidCatalogueEntryIsListedWithItsFields() {
    JsonArray body = new JsonArray()
        .add(new JsonObject().put("contentId", "ok").put("title", "Fine").put("rating", "R").put("territories", "*"))
        .add(new JsonObject().put("contentId", "bad").put("title", "Bad").put("rating", "X-RATED")
            .put("territories", new JsonArray().add("ZZ")).put("availableFrom", "2025-06-01T00:00:00Z")
            .put("availableUntil", "2025-01-01T00:00:00Z").put("colour", "blue"))
        .add(new JsonObject().put("title", "No id").put("rating", "G").put("territories", "everywhere")
            .put("kidsContent", "yes"))
        .add("not an object")
        .add(new JsonObject().put("contentId", "ok").put("title", "Again").put("rating", "R").put("territories", "*"));
    ReferenceBodies.Parsed<Title> parsed = ReferenceBodies.titles(body);
    assertThat(parsed.valid()).isFalse();
    assertThat(parsed.entries()).hasSize(1);
    JsonArray errors = parsed.errors();
    assertThat(errors).hasSize(4);
    JsonObject bad = errors.getJsonObject(0);
    assertThat(bad.getInteger("index")).isEqualTo(1);
    assertThat(bad.getString("id")).isEqualTo("bad");
    assertThat(bad.getJsonArray("errors").getList()).containsExactlyInAnyOrder(
        "colour: unknown field",
        "rating: unknown rating 'X-RATED' (expected one of G, PG, PG-13, R, NC-17, TV-Y, TV-Y7, TV-Y7-FV, TV-G, "
            + "TV-PG, TV-14, TV-MA, NR, UR)",
        "territories[0]: not an ISO 3166-1 alpha-2 country code: ZZ",
        "availableUntil: must be after availableFrom");
    assertThat(errors.getJsonObject(1).getJsonArray("errors").getList()).containsExactlyInAnyOrder(
        "contentId: required", "territories: must be \"*\" or a list of ISO 3166-1 alpha-2 codes",
        "kidsContent: must be true or false");
    assertThat(errors.getJsonObject(2).getJsonArray("errors").getList()).containsExactly("entry: not a JSON object");
    assertThat(errors.getJsonObject(3).getJsonArray("errors").getList())
        .containsExactly("contentId: appears more than once in this request");
  }

  @Test
  void accountsAreValidatedFieldByField() {
    JsonArray body = new JsonArray()
        .add(new JsonObject().put("accountId", "a1").put("plan", "premium").put("maxStreams", 4).put("residence", "DE")
            .put("profiles", new JsonObject().put("p1", "ADULTS").put("p2", "LITTLE_KIDS")))
        .add(new JsonObject().put("accountId", "a2").put("maxStreams", 0).put("residence", "XX")
            .put("profiles", new JsonObject().put("p1", "TODDLER")));
    ReferenceBodies.Parsed<Account> parsed = ReferenceBodies.accounts(body);
    assertThat(parsed.entries()).singleElement().satisfies(a -> {
      assertThat(a.profile("p2")).isEqualTo(Maturity.LITTLE_KIDS);
      assertThat(Account.fromJson(a.toJson())).isEqualTo(a);
    });
    assertThat(parsed.errors().getJsonObject(0).getJsonArray("errors").getList()).containsExactlyInAnyOrder(
        "maxStreams: must be an integer from 1 to 100",
        "residence: not an ISO 3166-1 alpha-2 country code: XX",
        "profiles.p1: must be one of LITTLE_KIDS, OLDER_KIDS, TEENS, ADULTS");
  }

  @Test
  void ratingsMapToTheTiersOfTheLargeUsServices() {
    assertThat(Maturity.ofRating("TV-Y")).isEqualTo(Maturity.LITTLE_KIDS);
    assertThat(Maturity.ofRating("G")).isEqualTo(Maturity.LITTLE_KIDS);
    assertThat(Maturity.ofRating("TV-G")).isEqualTo(Maturity.LITTLE_KIDS);
    assertThat(Maturity.ofRating("PG")).isEqualTo(Maturity.OLDER_KIDS);
    assertThat(Maturity.ofRating("TV-Y7-FV")).isEqualTo(Maturity.OLDER_KIDS);
    assertThat(Maturity.ofRating("TV-PG")).isEqualTo(Maturity.OLDER_KIDS);
    assertThat(Maturity.ofRating("PG-13")).isEqualTo(Maturity.TEENS);
    assertThat(Maturity.ofRating("TV-14")).isEqualTo(Maturity.TEENS);
    assertThat(Maturity.ofRating("NC-17")).isEqualTo(Maturity.ADULTS);
    assertThat(Maturity.ofRating("NR")).isEqualTo(Maturity.ADULTS);
    assertThat(Maturity.ofRating("UR")).isEqualTo(Maturity.ADULTS);
    assertThat(Maturity.LITTLE_KIDS.below(Maturity.OLDER_KIDS)).isTrue();
    assertThat(Maturity.TEENS.below(Maturity.TEENS)).isFalse();
  }
}
