package com.ott.rules.engine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** Alert windows: fixed buckets of event time. */
public final class Windows {
  private Windows() {}

  /** Start of the fixed window of {@code windowSeconds} (aligned on the epoch) holding {@code epochMillis}. */
  public static Instant bucket(long epochMillis, long windowSeconds) {
    long w = windowSeconds * 1000;
    return Instant.ofEpochMilli(Math.floorDiv(epochMillis, w) * w);
  }

  /** Start of the clock hour holding {@code epochMillis} in {@code zone}. */
  public static Instant clockHour(long epochMillis, ZoneId zone) {
    return ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone).truncatedTo(ChronoUnit.HOURS).toInstant();
  }

  /** The calendar day holding {@code epochMillis} in {@code zone}. */
  public static LocalDate day(long epochMillis, ZoneId zone) {
    return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), zone);
  }

  /** Start of a calendar day in {@code zone}. */
  public static Instant dayStart(LocalDate day, ZoneId zone) {
    return day.atStartOfDay(zone).toInstant();
  }
}
