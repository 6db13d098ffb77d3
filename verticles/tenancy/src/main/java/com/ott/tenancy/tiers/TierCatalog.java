package com.ott.tenancy.tiers;

import com.ott.runtime.OttConfig;
import com.ott.tenancy.Tier;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The four tier definitions of {@code conf/tiers.yaml}, validated: every tier present, every amount a
 * non-negative integer (prices are minor units, so {@code 49.00} is refused in favour of {@code 4900}).
 */
public final class TierCatalog {
  /** Where the packaged copy sits on the classpath (verticles/runtime copies the conf directory). */
  public static final String CLASSPATH_COPY = "/conf/tiers.yaml";
  private static final Set<String> TIER_FIELDS = Set.of("displayName", "requestsPerSecond", "burst", "eventsPerMonth",
      "apiCallsPerMonth", "storageBytes", "dataRetentionDays", "dashboardSeats", "pricePerMonth", "overage");

  private final String currency;
  private final Map<Tier, TierDefinition> tiers;

  private TierCatalog(String currency, Map<Tier, TierDefinition> tiers) {
    this.currency = currency;
    this.tiers = tiers;
  }

  public String currency() {
    return currency;
  }

  public TierDefinition of(Tier tier) {
    return tiers.get(tier);
  }

  public JsonObject toJson() {
    JsonObject out = new JsonObject();
    tiers.forEach((t, d) -> out.put(t.name(), d.toJson()));
    return new JsonObject().put("currency", currency).put("tiers", out);
  }

  /**
   * The tiers file to read: {@code explicitFile} (setting {@code tenancy.tiersFile} or env {@code OTT_TIERS_FILE})
   * when given, else {@code conf/tiers.yaml} in the working directory, else empty (use {@link #CLASSPATH_COPY}).
   * The explicit file wins, as {@code OTT_CONFIG} does for application.yaml.
   */
  public static Optional<Path> locate(String explicitFile) {
    if (explicitFile != null && !explicitFile.isBlank()) {
      return Optional.of(Path.of(explicitFile.trim()));
    }
    Path local = Path.of("conf", "tiers.yaml");
    return Files.isReadable(local) ? Optional.of(local) : Optional.empty();
  }

  /** Reads and validates the packaged copy (blocking; small). */
  public static TierCatalog classpathCopy() {
    try (InputStream in = TierCatalog.class.getResourceAsStream(CLASSPATH_COPY)) {
      if (in == null) {
        throw new IllegalStateException("no " + CLASSPATH_COPY + " on the classpath; set OTT_TIERS_FILE");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + CLASSPATH_COPY + ": " + e.getMessage(), e);
    }
  }

  /** Parses tiers YAML; fails with every problem found, one per line, each naming its field. */
  public static TierCatalog parse(String yaml) {
    JsonObject root;
    try {
      root = OttConfig.parseYaml(yaml);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("tiers file is not valid YAML: " + e.getMessage(), e);
    }
    List<String> errors = new ArrayList<>();
    Object currencyValue = root.getValue("currency");
    String currency = currencyValue instanceof String s && s.matches("[A-Z]{3}") ? s : null;
    if (currency == null) {
      errors.add("currency: an ISO 4217 code such as USD");
    }
    Map<Tier, TierDefinition> tiers = new EnumMap<>(Tier.class);
    Object tiersValue = root.getValue("tiers");
    if (!(tiersValue instanceof JsonObject tiersNode)) {
      errors.add("tiers: a mapping of FREE, STANDARD, PREMIUM and ENTERPRISE");
    } else {
      for (String name : tiersNode.fieldNames()) {
        if (Tier.parse(name) == null || !name.equals(Tier.parse(name).name())) {
          errors.add("tiers." + name + ": unknown tier (one of FREE, STANDARD, PREMIUM, ENTERPRISE)");
        }
      }
      for (Tier tier : Tier.values()) {
        Object node = tiersNode.getValue(tier.name());
        if (!(node instanceof JsonObject def)) {
          errors.add("tiers." + tier.name() + ": missing");
          continue;
        }
        TierDefinition parsed = definition(tier, def, "tiers." + tier.name() + ".", errors);
        if (parsed != null) {
          tiers.put(tier, parsed);
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid tiers file:\n  " + String.join("\n  ", errors));
    }
    return new TierCatalog(currency, tiers);
  }

  private static TierDefinition definition(Tier tier, JsonObject def, String path, List<String> errors) {
    int before = errors.size();
    for (String field : def.fieldNames()) {
      if (!TIER_FIELDS.contains(field)) {
        errors.add(path + field + ": unknown field");
      }
    }
    String displayName = def.getValue("displayName") instanceof String s && !s.isBlank() ? s : tier.name();
    long rps = integer(def, "requestsPerSecond", 1, path, errors);
    long burst = integer(def, "burst", 1, path, errors);
    long events = integer(def, "eventsPerMonth", 0, path, errors);
    long calls = integer(def, "apiCallsPerMonth", 0, path, errors);
    long storage = integer(def, "storageBytes", 0, path, errors);
    long retention = integer(def, "dataRetentionDays", 1, path, errors);
    long seats = integer(def, "dashboardSeats", 1, path, errors);
    long price = integer(def, "pricePerMonth", 0, path, errors);
    if (retention > 3660 || seats > Integer.MAX_VALUE) {
      errors.add(path + "dataRetentionDays/dashboardSeats: out of range");
    }
    Map<Meter, OveragePrice> overage = new EnumMap<>(Meter.class);
    Object overageValue = def.getValue("overage");
    if (overageValue != null && !(overageValue instanceof JsonObject)) {
      errors.add(path + "overage: a mapping of events, apiCalls, storage to {unit, price}");
    } else if (overageValue instanceof JsonObject over) {
      for (String key : over.fieldNames()) {
        Meter meter = null;
        for (Meter m : Meter.values()) {
          if (m.key().equals(key)) {
            meter = m;
          }
        }
        String p = path + "overage." + key;
        if (meter == null) {
          errors.add(p + ": unknown meter (events, apiCalls or storage)");
        } else if (!(over.getValue(key) instanceof JsonObject o)) {
          errors.add(p + ": {unit, price}");
        } else {
          long unit = integer(o, "unit", 1, p + ".", errors);
          long unitPrice = integer(o, "price", 0, p + ".", errors);
          if (unit >= 1 && unitPrice >= 0) {
            overage.put(meter, new OveragePrice(unit, unitPrice));
          }
        }
      }
    }
    if (errors.size() > before) {
      return null;
    }
    return new TierDefinition(tier, displayName, rps, burst, events, calls, storage, (int) retention, (int) seats, price,
        overage);
  }

  private static long integer(JsonObject node, String field, long min, String path, List<String> errors) {
    Object v = node.getValue(field);
    if (v instanceof Integer || v instanceof Long) {
      long value = ((Number) v).longValue();
      if (value >= min) {
        return value;
      }
    }
    errors.add(path + field + ": required, an integer >= " + min
        + (v instanceof Double ? " (amounts are integer minor units, e.g. 4900 for 49.00)" : ""));
    return -1;
  }
}
