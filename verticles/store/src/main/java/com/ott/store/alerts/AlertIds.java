package com.ott.store.alerts;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Alert ids are UUIDs in their canonical text form; anything else names no alert. */
public final class AlertIds {
  private static final Pattern CANONICAL = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private AlertIds() {}

  /** The id, or null when the text is not a canonical UUID (UUID.fromString alone accepts "1-1-1-1-1"). */
  public static UUID parse(Object text) {
    if (!(text instanceof String s) || !CANONICAL.matcher(s).matches()) {
      return null;
    }
    return UUID.fromString(s.toLowerCase(Locale.ROOT));
  }
}
