package com.ott.store.alerts;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps as the alerts API takes them, at PostgreSQL's microsecond precision. */
public final class Times {
  private Times() {}

  /** The instant of an RFC 3339 timestamp with an offset, years 1 to 9999; null when it is not one. */
  public static Instant parse(String text) {
    if (text == null || text.length() > 64) {
      return null;
    }
    try {
      OffsetDateTime t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      Instant instant = t.toInstant();
      int year = instant.atOffset(ZoneOffset.UTC).getYear();
      // PostgreSQL's timestamptz range is wider, but nothing outside these years is a real event
      return year < 1 || year > 9999 ? null : instant.truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static String format(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
