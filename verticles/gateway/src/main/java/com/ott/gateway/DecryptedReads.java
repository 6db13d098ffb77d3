package com.ott.gateway;

import com.ott.contract.Addresses;
import com.ott.contract.EncryptionAddresses;
import com.ott.gateway.circuit.Downstream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * One stored event with its personal fields decrypted, for the operator's admin API and a tenant's admins: the
 * store gives the protected event, the encryption stage opens it and audits who read it and why.
 */
final class DecryptedReads {
  static final int MAX_REASON = 500;

  private DecryptedReads() {}

  /** The {@code reason} parameter, or null after answering 400: it is required, since it is audited. */
  static String reason(RoutingContext ctx) {
    String reason = ctx.request().getParam("reason");
    if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
      Problems.send(ctx, 400, "reason: required (why personal data is read, at most " + MAX_REASON + " characters); it is audited");
      return null;
    }
    return reason;
  }

  /** The event of the tenant (404 when the tenant has no such event), decrypted on behalf of {@code actor}. */
  static Future<JsonObject> read(Downstream downstream, String tenantId, String eventId, String actor, String reason) {
    JsonObject key = new JsonObject().put("tenantId", tenantId).put("eventId", eventId);
    return downstream.ask(Addresses.STORE_GET_EVENT, key)
        .compose(stored -> downstream.ask(EncryptionAddresses.UNPROTECT, new JsonObject()
                .put("tenantId", tenantId).put("actor", actor).put("reason", reason)
                .put("events", new JsonArray().add(stored.getJsonObject("payload"))))
            .map(clear -> stored.put("payload", clear.getJsonArray("events").getJsonObject(0))));
  }
}
