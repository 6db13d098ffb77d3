package com.ott.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

  private final EventValidator validator = new EventValidator(16384);

  static JsonObject playbackStart() {
    return new JsonObject()
        .put("eventId", "e-1").put("type", "playback.start").put("occurredAt", "2026-11-25T10:00:00Z")
        .put("accountId", "acc-1").put("sessionId", "s-1").put("contentId", "c-1").put("country", "FR")
        .put("deviceId", "d-1").put("ip", "192.0.2.10");
  }

  @Test
  void a_complete_playback_start_is_valid() {
    assertThat(validator.validate(playbackStart())).isEmpty();
  }

  @Test
  void a_missing_required_field_is_named() {
    List<String> errors = validator.validate(playbackStart().copy().put("eventId", null));
    assertThat(errors).isNotEmpty();
    errors = validator.validate(withOut(playbackStart(), "eventId"));
    assertThat(errors).containsExactly("eventId: required");
  }

  @Test
  void a_field_required_by_the_type_says_so() {
    List<String> errors = validator.validate(withOut(playbackStart(), "country"));
    assertThat(errors).containsExactly("country: required for playback.start events");
  }

  @Test
  void an_unknown_event_type_is_rejected_with_its_name() {
    List<String> errors = validator.validate(playbackStart().put("type", "video.teleport"));
    assertThat(errors).containsExactly("type: unknown event type 'video.teleport'");
  }

  @Test
  void a_bad_timestamp_is_not_rfc3339() {
    assertThat(validator.validate(playbackStart().put("occurredAt", "yesterday afternoon")))
        .containsExactly("occurredAt: not an RFC 3339 timestamp");
    assertThat(validator.validate(playbackStart().put("occurredAt", "2026-11-25T10:00:00")))
        .containsExactly("occurredAt: not an RFC 3339 timestamp");
    assertThat(validator.validate(playbackStart().put("occurredAt", "2026-11-25T10:00:00.123+02:00"))).isEmpty();
  }

  @Test
  void wrong_types_and_formats_are_field_level_errors() {
    List<String> errors = validator.validate(playbackStart().put("vpn", "yes").put("country", "France").put("ip", "300.1.1.1"));
    assertThat(errors).hasSize(3);
    assertThat(errors).anyMatch(e -> e.startsWith("vpn: "));
    assertThat(errors).contains("country: invalid format", "ip: not an IPv4 or IPv6 address");
  }

  @Test
  void ipv6_literals_are_accepted_and_host_names_are_not() {
    assertThat(validator.validate(playbackStart().put("ip", "2001:db8::1"))).isEmpty();
    assertThat(validator.validate(playbackStart().put("ip", "example.com"))).isNotEmpty();
  }

  @Test
  void nested_objects_built_in_code_validate_like_parsed_ones() {
    JsonObject consent = new JsonObject().put("eventId", "c-1").put("type", "consent.update").put("occurredAt", "2026-11-25T10:00:00Z")
        .put("accountId", "a").put("consent", new JsonObject().put("gdprApplies", true).put("usPrivacy", "1YNN"));
    assertThat(validator.validate(consent)).isEmpty();
  }

  @Test
  void unknown_fields_move_into_attributes() {
    JsonObject event = playbackStart().put("bitrateKbps", 4500).put("attributes", new JsonObject().put("cdn", "a"));
    EventValidator.Normalized n = validator.normalize(event);
    assertThat(n.error()).isNull();
    assertThat(n.event().containsKey("bitrateKbps")).isFalse();
    assertThat(n.event().getJsonObject("attributes").getMap()).containsEntry("cdn", "a").containsEntry("bitrateKbps", 4500);
  }

  @Test
  void oversized_attributes_are_refused() {
    JsonObject event = playbackStart().put("attributes", new JsonObject().put("blob", "x".repeat(20000)));
    assertThat(validator.normalize(event).error()).startsWith("attributes: ");
  }

  private static JsonObject withOut(JsonObject o, String field) {
    JsonObject c = o.copy();
    c.remove(field);
    return c;
  }
}
