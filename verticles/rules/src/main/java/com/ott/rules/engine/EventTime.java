package com.ott.rules.engine;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** RFC 3339 timestamps to epoch milliseconds: a direct parser for the usual shape, java.time for the rest. */
public final class EventTime {
  private EventTime() {}

  /** Epoch millis of an RFC 3339 timestamp; throws {@link DateTimeParseException} when it is not one. */
  public static long parseMillis(String s) {
    long fast = fast(s);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    String normal = s.replace(' ', 'T').replace('t', 'T').replace('z', 'Z');
    try {
      return Instant.parse(normal).toEpochMilli();
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(normal, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
    }
  }

  // yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+hh:mm|-hh:mm), or MIN_VALUE when s has another shape
  private static long fast(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return Long.MIN_VALUE;
    }
    int i = 19;
    long millis = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && Character.isDigit(s.charAt(i))) {
        if (i - start < 3) {
          millis = millis * 10 + (s.charAt(i) - '0');
        }
        i++;
      }
      int len = i - start;
      if (len == 0 || len > 9) {
        return Long.MIN_VALUE;
      }
      for (int k = len; k < 3; k++) {
        millis *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || oh > 23 || om < 0 || om > 59) {
        return Long.MIN_VALUE;
      }
      offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
    } else {
      return Long.MIN_VALUE;
    }
    long epochDay = epochDay(year, month, day);
    long seconds = epochDay * 86400 + hour * 3600L + minute * 60L + second - offsetSeconds;
    return seconds * 1000 + millis;
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int daysIn(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  // days from civil (H. Hinnant)
  private static long epochDay(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }
}
