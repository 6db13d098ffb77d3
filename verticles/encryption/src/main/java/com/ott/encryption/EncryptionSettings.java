package com.ott.encryption;

import com.ott.runtime.OttConfig;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The {@code encryption} configuration section (the KEK settings are read by {@link KeyEncryptionKey#fromConfig}).
 *
 * @param rotationAge how old a primary AEAD key may get before the timer rotates it
 * @param rotationCheck how often the timer looks
 * @param rewrapBatchSize rows per rewrap batch (one short statement each, so stored data stays available)
 * @param rewrapTable the table of stored events whose {@code payload.sealed} the rewrap job re-encrypts
 */
public record EncryptionSettings(boolean enabled, Duration rotationAge, Duration rotationCheck, int rewrapBatchSize,
                                 String rewrapTable) {
  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  public static EncryptionSettings from(JsonObject config) {
    JsonObject e = OttConfig.section(config, "encryption");
    int days = positive(e, "rotationDays", 90, 36_500);
    int minutes = positive(e, "rotationCheckMinutes", 60, 525_600);
    int batch = positive(e, "rewrapBatchSize", 500, 10_000);
    return new EncryptionSettings(e.getBoolean("enabled", true), Duration.ofDays(days), Duration.ofMinutes(minutes),
        batch, table(e.getString("rewrapTable", "events"), "encryption.rewrapTable"));
  }

  /** A table name safe to put in SQL: {@code name} or {@code schema.name}, unquoted identifiers only. */
  static String table(String name, String what) {
    if (name == null || !TABLE.matcher(name).matches()) {
      throw new IllegalArgumentException(what + ": a table name ([schema.]name, letters, digits and _), got '" + name + "'");
    }
    return name;
  }

  private static int positive(JsonObject e, String key, int defaultValue, int max) {
    Object v = e.getValue(key, defaultValue);
    if (!(v instanceof Number n) || n.intValue() != n.doubleValue() || n.intValue() < 1 || n.intValue() > max) {
      throw new IllegalArgumentException("encryption." + key + ": a whole number from 1 to " + max + ", got " + v);
    }
    return n.intValue();
  }
}
