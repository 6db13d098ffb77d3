package com.ott.ingestion;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ott.contract.BatchFormat;
import com.ott.contract.Failures;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a request body into events: a JSON array (or one JSON object) or NDJSON.
 * Each element is measured against the per-event size limit and parsed alone, so
 * one bad element of NDJSON is rejected by itself while the rest go on.
 */
public final class BatchParser {

  /** One element of a batch: the event, or why it could not be read. */
  public record Item(int index, ObjectNode event, String error) {}

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private final int maxEvents;
  private final int maxEventBytes;

  public BatchParser(int maxEvents, int maxEventBytes) {
    this.maxEvents = maxEvents;
    this.maxEventBytes = maxEventBytes;
  }

  public List<Item> parse(Buffer body, BatchFormat format) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    if (isBlank(bytes, 0, bytes.length)) {
      throw Failures.reject(Failures.BAD_REQUEST, "the body is empty: send a JSON array of events or NDJSON");
    }
    return format == BatchFormat.JSON ? parseJson(bytes) : parseNdjson(bytes);
  }

  private List<Item> parseJson(byte[] bytes) {
    List<Item> items = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_OBJECT) {
        items.add(readElement(p, 0));
      } else if (first == JsonToken.START_ARRAY) {
        int index = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) {
            throw Failures.reject(Failures.BAD_REQUEST, "malformed JSON: the array is not closed");
          }
          if (index >= maxEvents) {
            throw Failures.reject(Failures.PAYLOAD_TOO_LARGE,
                "a batch holds at most " + maxEvents + " events");
          }
          if (t == JsonToken.START_OBJECT) {
            items.add(readElement(p, index));
          } else {
            p.skipChildren();
            items.add(new Item(index, null, "event: must be a JSON object, not " + describe(t)));
          }
          index++;
        }
      } else {
        throw Failures.reject(Failures.BAD_REQUEST, "malformed JSON: expected an array of events");
      }
      if (p.nextToken() != null) {
        throw Failures.reject(Failures.BAD_REQUEST, "malformed JSON: content after the end of the array");
      }
    } catch (JsonParseException e) {
      throw Failures.reject(Failures.BAD_REQUEST, "malformed JSON at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw Failures.reject(Failures.BAD_REQUEST, "malformed JSON: " + e.getMessage());
    }
    return items;
  }

  private Item readElement(JsonParser p, int index) throws IOException {
    long start = p.currentTokenLocation().getByteOffset();
    ObjectNode node = MAPPER.readTree(p);
    long size = p.currentLocation().getByteOffset() - start;
    if (size > maxEventBytes) {
      return new Item(index, null, "event: " + size + " bytes exceeds the limit of " + maxEventBytes);
    }
    return new Item(index, node, null);
  }

  private List<Item> parseNdjson(byte[] bytes) {
    List<Item> items = new ArrayList<>();
    int index = 0;
    int lineStart = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        int end = i;
        if (end > lineStart && bytes[end - 1] == '\r') {
          end--;
        }
        if (!isBlank(bytes, lineStart, end)) {
          if (index >= maxEvents) {
            throw Failures.reject(Failures.PAYLOAD_TOO_LARGE, "a batch holds at most " + maxEvents + " events");
          }
          int size = end - lineStart;
          if (size > maxEventBytes) {
            items.add(new Item(index, null, "event: " + size + " bytes exceeds the limit of " + maxEventBytes));
          } else {
            items.add(parseLine(bytes, lineStart, size, index));
          }
          index++;
        }
        lineStart = i + 1;
      }
    }
    return items;
  }

  private Item parseLine(byte[] bytes, int offset, int length, int index) {
    try (JsonParser p = FACTORY.createParser(bytes, offset, length)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        return new Item(index, null, "event: must be a JSON object, not " + describe(t));
      }
      ObjectNode node = MAPPER.readTree(p);
      if (p.nextToken() != null) {
        return new Item(index, null, "event: content after the end of the JSON object");
      }
      return new Item(index, node, null);
    } catch (JsonParseException e) {
      return new Item(index, null, "event: malformed JSON at column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      return new Item(index, null, "event: malformed JSON");
    }
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name().toLowerCase();
    };
  }

  private static boolean isBlank(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = bytes[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return false;
      }
    }
    return true;
  }

}
