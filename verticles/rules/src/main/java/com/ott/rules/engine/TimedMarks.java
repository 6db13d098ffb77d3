package com.ott.rules.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A subject's recent marks in event-time order — when, a label (a country, a
 * session), and the event that made it — bounded by age and by count. Stored
 * as {@code {"s": [[time, label, eventId], ...]}}.
 */
public final class TimedMarks implements StateRecord {

  /** One mark. */
  public record Mark(long time, String label, String eventId) {}

  private final List<Mark> marks = new ArrayList<>();

  public static TimedMarks from(JsonObject json) {
    TimedMarks t = new TimedMarks();
    if (json != null) {
      for (Object o : json.getJsonArray("s")) {
        JsonArray a = (JsonArray) o;
        t.marks.add(new Mark(a.getLong(0), a.getString(1), a.getString(2)));
      }
    }
    return t;
  }

  /** The marks, oldest first. */
  public List<Mark> marks() {
    return Collections.unmodifiableList(marks);
  }

  /**
   * Adds a mark in event-time order, then drops those older than the newest mark
   * minus {@code keepMillis}, and the oldest beyond {@code max}.
   */
  public void add(Mark mark, long keepMillis, int max) {
    marks.add(mark);
    marks.sort((a, b) -> Long.compare(a.time(), b.time()));
    long newest = marks.get(marks.size() - 1).time();
    marks.removeIf(m -> m.time() < newest - keepMillis);
    while (marks.size() > max) {
      marks.remove(0);
    }
  }

  @Override
  public JsonObject toJson() {
    JsonArray a = new JsonArray();
    marks.forEach(m -> a.add(new JsonArray().add(m.time()).add(m.label()).add(m.eventId())));
    return new JsonObject().put("s", a);
  }

  @Override
  public boolean isEmpty() {
    return marks.isEmpty();
  }
}
