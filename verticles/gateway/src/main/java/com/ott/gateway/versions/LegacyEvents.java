package com.ott.gateway.versions;

import com.ott.contract.BatchFormat;
import com.ott.contract.EventFields;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The v1 event shape, converted to schema v2 before ingestion. A v1 event is flat: {@code id} instead of
 * {@code eventId}, {@code ts} (epoch milliseconds) instead of {@code occurredAt}, and its custom fields at the top
 * level where v2 has them under {@code attributes}:
 * <pre>
 * v1 {"id":"e1","type":"auth.login","ts":1764064800000,"accountId":"a1","appVersion":"7.2"}
 * v2 {"eventId":"e1","type":"auth.login","occurredAt":"2025-11-25T10:00:00Z","accountId":"a1","attributes":{"appVersion":"7.2"}}
 * </pre>
 * What cannot be read (malformed JSON, a non-object element) is passed on unchanged, so ingestion rejects it at the
 * same index as v2 would. Replies name v1 fields again ({@code id}, {@code ts}).
 */
public final class LegacyEvents {
  // the largest instant java.time formats as RFC 3339 with a 4-digit year
  private static final long MAX_TS = 253_402_300_799_999L;

  private LegacyEvents() {}

  /** The batch with every v1 event converted; same format (JSON or NDJSON), same element order. */
  public static Buffer toV2(Buffer body, BatchFormat format) {
    if (body == null || body.length() == 0) {
      return body;
    }
    return format == BatchFormat.JSON ? jsonToV2(body) : ndjsonToV2(body);
  }

  private static Buffer jsonToV2(Buffer body) {
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      return body;
    }
    if (parsed instanceof JsonObject event) {
      return toV2(event).toBuffer();
    }
    if (parsed instanceof JsonArray events) {
      JsonArray converted = new JsonArray(new java.util.ArrayList<>(events.size()));
      for (Object e : events) {
        converted.add(e instanceof JsonObject event ? toV2(event) : e);
      }
      return converted.toBuffer();
    }
    return body;
  }

  private static Buffer ndjsonToV2(Buffer body) {
    String[] lines = body.toString(StandardCharsets.UTF_8).split("\n", -1);
    StringBuilder out = new StringBuilder(body.length() + lines.length * 16);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        out.append('\n');
      }
      out.append(lineToV2(lines[i]));
    }
    return Buffer.buffer(out.toString());
  }

  private static String lineToV2(String line) {
    if (line.isBlank()) {
      return line;
    }
    try {
      return Json.decodeValue(line) instanceof JsonObject event ? toV2(event).encode() : line;
    } catch (DecodeException e) {
      return line;
    }
  }

  /** One v1 event as schema v2. */
  public static JsonObject toV2(JsonObject legacy) {
    JsonObject event = new JsonObject();
    JsonObject attributes = new JsonObject();
    for (var field : legacy) {
      String name = field.getKey();
      switch (name) {
        case "id" -> event.put(EventFields.EVENT_ID, field.getValue());
        case "ts" -> {
          // a ts that is not epoch milliseconds leaves occurredAt out: ingestion answers "required", read as ts
          if (field.getValue() instanceof Number n && (n instanceof Long || n instanceof Integer) && n.longValue() >= 0
              && n.longValue() <= MAX_TS) {
            event.put(EventFields.OCCURRED_AT, Instant.ofEpochMilli(n.longValue()).toString());
          }
        }
        default -> {
          boolean v2Field = EventFields.KNOWN.contains(name) && !name.equals(EventFields.EVENT_ID)
              && !name.equals(EventFields.OCCURRED_AT) && !name.equals(EventFields.ATTRIBUTES);
          if (v2Field) {
            event.put(name, field.getValue());
          } else {
            attributes.put(name, field.getValue());
          }
        }
      }
    }
    if (!attributes.isEmpty()) {
      event.put(EventFields.ATTRIBUTES, attributes);
    }
    return event;
  }

  /** The ingest reply in v1 terms: rejected entries carry {@code id}, and errors name {@code id} and {@code ts}. */
  public static JsonObject replyToV1(JsonObject reply) {
    JsonObject v1 = reply.copy();
    JsonArray rejected = reply.getJsonArray("rejected");
    if (rejected == null) {
      return v1;
    }
    JsonArray mapped = new JsonArray();
    for (Object o : rejected) {
      if (!(o instanceof JsonObject r)) {
        mapped.add(o);
        continue;
      }
      JsonObject entry = new JsonObject().put("index", r.getValue("index"));
      if (r.containsKey("eventId")) {
        entry.put("id", r.getValue("eventId"));
      }
      JsonArray errors = new JsonArray();
      for (Object e : r.getJsonArray("errors", new JsonArray())) {
        errors.add(e instanceof String s ? errorToV1(s) : e);
      }
      mapped.add(entry.put("errors", errors));
    }
    return v1.put("rejected", mapped);
  }

  static String errorToV1(String error) {
    if (error.startsWith(EventFields.OCCURRED_AT + ": required")) {
      return "ts: required, the time the event occurred in epoch milliseconds (an integer)";
    }
    if (error.startsWith(EventFields.OCCURRED_AT + ":")) {
      return "ts:" + error.substring(EventFields.OCCURRED_AT.length() + 1);
    }
    if (error.startsWith(EventFields.EVENT_ID + ":")) {
      return "id:" + error.substring(EventFields.EVENT_ID.length() + 1);
    }
    return error;
  }
}
