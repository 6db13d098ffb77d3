package com.ott.scoring.series;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Open buckets of every live series. Observations are summed into the bucket of their event time; a bucket closes
 * once the clock passes its end plus a grace period for late observations, and a series that goes quiet keeps
 * closing buckets with the value 0 (a quiet hour is data too). Observations for an already closed bucket are late
 * and dropped. Pure data structure: the clock is passed in.
 */
public final class BucketBook {
  /** A closed bucket: its series, start (epoch ms) and summed value. */
  public record Closed(SeriesKey key, long start, double value) {}

  private static final class Open {
    long next;
    final TreeMap<Long, Double> sums = new TreeMap<>();
  }

  private final List<Resolution> resolutions;
  private final long graceMillis;
  private final Map<SeriesKey, Open> open = new HashMap<>();
  private long late;

  public BucketBook(List<Resolution> resolutions, long graceMillis) {
    this.resolutions = List.copyOf(resolutions);
    this.graceMillis = graceMillis;
  }

  /** Adds {@code count} at event time {@code atMillis} to the series' bucket at every resolution. */
  public void add(String tenantId, String series, long atMillis, double count) {
    for (Resolution r : resolutions) {
      long start = Math.floorDiv(atMillis, r.millis()) * r.millis();
      Open o = open.computeIfAbsent(new SeriesKey(tenantId, series, r), k -> {
        Open fresh = new Open();
        fresh.next = start;
        return fresh;
      });
      if (start < o.next) {
        late++;
      } else {
        o.sums.merge(start, count, Double::sum);
      }
    }
  }

  /** Closes, in time order per series, every bucket whose end plus grace is at or before {@code nowMillis}. */
  public List<Closed> closeUntil(long nowMillis) {
    List<Closed> closed = new ArrayList<>();
    for (Map.Entry<SeriesKey, Open> e : open.entrySet()) {
      long size = e.getKey().resolution().millis();
      Open o = e.getValue();
      while (o.next + size + graceMillis <= nowMillis) {
        Double sum = o.sums.remove(o.next);
        closed.add(new Closed(e.getKey(), o.next, sum == null ? 0.0 : sum));
        o.next += size;
      }
    }
    return closed;
  }

  public int seriesCount() {
    return open.size();
  }

  /** Observations dropped because their bucket had already closed. */
  public long lateCount() {
    return late;
  }
}
