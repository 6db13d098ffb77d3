package com.ott.testkit;

import java.util.Locale;
import java.util.Optional;

/** Reads a setting such as {@code OTT_PG_URL} from the system property {@code ott.pg.url}, else the environment. */
final class Settings {
  private Settings() {}

  static Optional<String> get(String envName) {
    String property = envName.toLowerCase(Locale.ROOT).replace('_', '.');
    String value = System.getProperty(property);
    if (isBlank(value)) value = System.getenv(envName);
    return isBlank(value) ? Optional.empty() : Optional.of(value.trim());
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
