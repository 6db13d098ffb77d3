package com.ott.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ott.contract.EventFields;
import com.ott.contract.EventValidator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation and in-batch de-duplication shared by the HTTP and Kafka paths:
 * each item becomes an accepted (normalised) event or a rejection naming its
 * index, eventId and field errors.
 */
public final class EventIntake {

  /** The outcome of one batch before storage. */
  public record Checked(JsonArray accepted, JsonArray rejected) {}

  private final EventValidator validator;

  public EventIntake(EventValidator validator) {
    this.validator = validator;
  }

  public Checked check(List<BatchParser.Item> items) {
    JsonArray accepted = new JsonArray();
    JsonArray rejected = new JsonArray();
    Map<String, Integer> firstIndexById = new HashMap<>();
    for (BatchParser.Item item : items) {
      if (item.event() == null) {
        rejected.add(rejection(item.index(), null, List.of(item.error())));
        continue;
      }
      ObjectNode node = item.event();
      JsonNode id = node.get(EventFields.EVENT_ID);
      String eventId = id != null && id.isTextual() ? id.textValue() : null;
      List<String> errors = validator.validate(node);
      if (!errors.isEmpty()) {
        rejected.add(rejection(item.index(), eventId, errors));
        continue;
      }
      Integer first = firstIndexById.putIfAbsent(eventId, item.index());
      if (first != null) {
        rejected.add(rejection(item.index(), eventId, List.of("eventId: duplicate of the event at index " + first + " in this batch")));
        continue;
      }
      EventValidator.Normalized normalized = validator.normalize(EventValidator.toJsonObject(node));
      if (normalized.error() != null) {
        firstIndexById.remove(eventId);
        rejected.add(rejection(item.index(), eventId, List.of(normalized.error())));
        continue;
      }
      accepted.add(normalized.event());
    }
    return new Checked(accepted, rejected);
  }

  private static JsonObject rejection(int index, String eventId, List<String> errors) {
    JsonObject r = new JsonObject().put("index", index);
    if (eventId != null) {
      r.put("eventId", eventId.length() > 128 ? eventId.substring(0, 128) : eventId);
    }
    return r.put("errors", new JsonArray(errors));
  }
}
