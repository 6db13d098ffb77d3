package com.ott.tenancy.metering;

import io.vertx.core.json.JsonObject;

/** What was metered for a tenant on one day (or summed over several). */
public record DailyUsage(long eventsAccepted, long eventsRejected, long apiCalls, long bytesStored) {
  public static final DailyUsage ZERO = new DailyUsage(0, 0, 0, 0);

  public DailyUsage plus(DailyUsage other) {
    return new DailyUsage(eventsAccepted + other.eventsAccepted, eventsRejected + other.eventsRejected,
        apiCalls + other.apiCalls, bytesStored + other.bytesStored);
  }

  public JsonObject toJson() {
    return new JsonObject().put("eventsAccepted", eventsAccepted).put("eventsRejected", eventsRejected)
        .put("apiCalls", apiCalls).put("bytesStored", bytesStored);
  }
}
