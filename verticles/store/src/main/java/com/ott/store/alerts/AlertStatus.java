package com.ott.store.alerts;

import java.util.Locale;

/** The life of an alert: OPEN -> ACKNOWLEDGED -> RESOLVED, or OPEN -> RESOLVED; nothing leaves RESOLVED. */
public enum AlertStatus {
  OPEN, ACKNOWLEDGED, RESOLVED;

  /** The status named (any case), or null. */
  public static AlertStatus parse(String name) {
    if (name == null) {
      return null;
    }
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "OPEN" -> OPEN;
      case "ACKNOWLEDGED" -> ACKNOWLEDGED;
      case "RESOLVED" -> RESOLVED;
      default -> null;
    };
  }

  /** Whether an alert in this status may move to {@code next}. */
  public boolean canMoveTo(AlertStatus next) {
    return switch (next) {
      case ACKNOWLEDGED -> this == OPEN;
      case RESOLVED -> this != RESOLVED;
      case OPEN -> false;
    };
  }
}
