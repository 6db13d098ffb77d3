package com.ott.gateway.versions;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.BatchFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The v1 event adapter, without I/O. */
class LegacyEventsTest {

  @Test
  void a_flat_v1_event_becomes_a_schema_v2_event() {
    JsonObject v1 = new JsonObject().put("id", "e1").put("type", "playback.start").put("ts", 1_764_064_800_123L)
        .put("accountId", "a1").put("country", "US").put("appVersion", "7.2").put("bitrate", 4500);
    JsonObject v2 = LegacyEvents.toV2(v1);
    assertThat(v2).isEqualTo(new JsonObject().put("eventId", "e1").put("type", "playback.start")
        .put("occurredAt", "2025-11-25T10:00:00.123Z").put("accountId", "a1").put("country", "US")
        .put("attributes", new JsonObject().put("appVersion", "7.2").put("bitrate", 4500)));
  }

  @Test
  void a_ts_that_is_not_epoch_milliseconds_leaves_occurred_at_out() {
    assertThat(LegacyEvents.toV2(new JsonObject().put("id", "e").put("ts", "2025-11-25")).containsKey("occurredAt")).isFalse();
    assertThat(LegacyEvents.toV2(new JsonObject().put("id", "e").put("ts", 1.5)).containsKey("occurredAt")).isFalse();
    assertThat(LegacyEvents.toV2(new JsonObject().put("id", "e").put("ts", -1)).containsKey("occurredAt")).isFalse();
    // v2 names in a v1 event are custom fields like any other
    assertThat(LegacyEvents.toV2(new JsonObject().put("id", "e").put("occurredAt", "x")).getJsonObject("attributes"))
        .isEqualTo(new JsonObject().put("occurredAt", "x"));
  }

  @Test
  void unreadable_elements_pass_unchanged_so_ingestion_rejects_them_at_their_index() {
    String ndjson = "{\"id\":\"a\",\"ts\":0}\n{broken\n\n[1]\r\n";
    String converted = LegacyEvents.toV2(Buffer.buffer(ndjson), BatchFormat.NDJSON).toString();
    assertThat(converted.split("\n", -1)).containsExactly("{\"eventId\":\"a\",\"occurredAt\":\"1970-01-01T00:00:00Z\"}",
        "{broken", "", "[1]\r", "");
    assertThat(LegacyEvents.toV2(Buffer.buffer("[{\"id\":"), BatchFormat.JSON).toString()).isEqualTo("[{\"id\":");
    JsonArray array = new JsonArray(LegacyEvents.toV2(Buffer.buffer("[{\"id\":\"b\"}, 42]"), BatchFormat.JSON));
    assertThat(array).isEqualTo(new JsonArray().add(new JsonObject().put("eventId", "b")).add(42));
  }

  @Test
  void the_reply_names_v1_fields() {
    JsonObject reply = new JsonObject().put("accepted", 1).put("stored", 1).put("duplicates", 0).put("rejected", new JsonArray()
        .add(new JsonObject().put("index", 1).put("eventId", "e2")
            .put("errors", new JsonArray().add("occurredAt: required").add("eventId: duplicate of the event at index 0 in this batch")
                .add("type: unknown event type 'x'"))));
    JsonObject v1 = LegacyEvents.replyToV1(reply);
    JsonObject rejected = v1.getJsonArray("rejected").getJsonObject(0);
    assertThat(rejected.getString("id")).isEqualTo("e2");
    assertThat(rejected.containsKey("eventId")).isFalse();
    assertThat(rejected.getJsonArray("errors").getList()).containsExactly(
        "ts: required, the time the event occurred in epoch milliseconds (an integer)",
        "id: duplicate of the event at index 0 in this batch", "type: unknown event type 'x'");
    assertThat(v1.getInteger("stored")).isEqualTo(1);
  }
}
