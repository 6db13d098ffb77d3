package com.ott.tenancy.tiers;

import io.vertx.core.json.JsonObject;

/** {@code price} minor units for every started block of {@code unit} beyond the included amount. */
public record OveragePrice(long unit, long price) {
  public OveragePrice {
    if (unit < 1 || price < 0) {
      throw new IllegalArgumentException("unit must be >= 1 and price >= 0");
    }
  }

  /** Blocks charged for {@code over} units: every started block counts. */
  public long blocks(long over) {
    return over <= 0 ? 0 : (over - 1) / unit + 1;
  }

  public JsonObject toJson() {
    return new JsonObject().put("unit", unit).put("price", price);
  }
}
