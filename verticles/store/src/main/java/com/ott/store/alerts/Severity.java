package com.ott.store.alerts;

import java.util.Locale;

/** Alert severity, lowest first (anomaly alerts use the same scale). */
public enum Severity {
  LOW, MEDIUM, HIGH;

  /** The severity named (any case), or null. */
  public static Severity parse(String name) {
    if (name == null) {
      return null;
    }
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "LOW" -> LOW;
      case "MEDIUM" -> MEDIUM;
      case "HIGH" -> HIGH;
      default -> null;
    };
  }
}
