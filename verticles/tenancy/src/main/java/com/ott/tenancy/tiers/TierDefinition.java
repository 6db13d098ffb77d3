package com.ott.tenancy.tiers;

import com.ott.tenancy.Tier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** One tier as defined in {@code conf/tiers.yaml}; prices in minor units. */
public record TierDefinition(
    Tier tier,
    String displayName,
    long requestsPerSecond,
    long burst,
    long eventsPerMonth,
    long apiCallsPerMonth,
    long storageBytes,
    int dataRetentionDays,
    int dashboardSeats,
    long pricePerMonth,
    Map<Meter, OveragePrice> overage) {

  public TierDefinition {
    overage = Collections.unmodifiableMap(overage.isEmpty() ? new EnumMap<>(Meter.class) : new EnumMap<>(overage));
  }

  /** The included amount of a meter per month (storage: bytes retained). */
  public long included(Meter meter) {
    return switch (meter) {
      case EVENTS -> eventsPerMonth;
      case API_CALLS -> apiCallsPerMonth;
      case STORAGE -> storageBytes;
    };
  }

  /** The overage price of a meter, or null when its quota is a hard limit. */
  public OveragePrice overageOf(Meter meter) {
    return overage.get(meter);
  }

  /** A quota without an overage price is refused once used up. */
  public boolean isHardQuota(Meter meter) {
    return !overage.containsKey(meter);
  }

  public JsonObject toJson() {
    JsonObject over = new JsonObject();
    JsonArray hard = new JsonArray();
    for (Meter m : Meter.values()) {
      OveragePrice p = overage.get(m);
      if (p != null) {
        over.put(m.key(), p.toJson());
      } else {
        hard.add(m.quota());
      }
    }
    return new JsonObject()
        .put("tier", tier.name())
        .put("displayName", displayName)
        .put("requestsPerSecond", requestsPerSecond)
        .put("burst", burst)
        .put("eventsPerMonth", eventsPerMonth)
        .put("apiCallsPerMonth", apiCallsPerMonth)
        .put("storageBytes", storageBytes)
        .put("dataRetentionDays", dataRetentionDays)
        .put("dashboardSeats", dashboardSeats)
        .put("pricePerMonth", pricePerMonth)
        .put("overage", over)
        .put("hardQuotas", hard);
  }
}
