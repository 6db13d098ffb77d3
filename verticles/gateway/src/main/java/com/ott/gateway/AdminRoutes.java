package com.ott.gateway;

import com.ott.contract.Addresses;
import com.ott.contract.EncryptionAddresses;
import com.ott.contract.TenancyAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The operator's admin API under {@code /api/v2/admin}, guarded by the admin token
 * from configuration: tenants, API keys, encryption keys, crypto-shredding and
 * audited reads of personal data.
 */
final class AdminRoutes {
  private static final long BODY_LIMIT = 64 * 1024;
  private static final String ACTOR = "admin";

  private final Vertx vertx;
  private final byte[] adminToken;

  AdminRoutes(Vertx vertx, byte[] adminToken) {
    this.vertx = vertx;
    this.adminToken = adminToken;
  }

  void mount(Router router) {
    router.post("/api/v2/admin/tenants")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(this::requireAdmin)
        .handler(this::createTenant);
    router.post("/api/v2/admin/tenants/:tenantId/api-keys").handler(this::requireAdmin)
        .handler(ctx -> reply(ctx, 201, request(Addresses.TENANCY_ISSUE_KEY, tenant(ctx))));
    router.post("/api/v2/admin/tenants/:tenantId/keys/rotate").handler(this::requireAdmin)
        .handler(ctx -> reply(ctx, 200, request(EncryptionAddresses.ROTATE, tenant(ctx).put("actor", ACTOR))));
    router.delete("/api/v2/admin/tenants/:tenantId").handler(this::requireAdmin).handler(this::deleteTenant);
    router.put("/api/v2/admin/tenants/:tenantId/tier")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(this::requireAdmin)
        .handler(this::changeTier);
    router.get("/api/v2/admin/tenants/:tenantId/events/:eventId").handler(this::requireAdmin).handler(this::readEvent);
  }

  private void requireAdmin(RoutingContext ctx) {
    if (adminToken == null) {
      Problems.send(ctx, 403, "the admin API is disabled: no admin token is configured (OTT_ADMIN_TOKEN)");
      return;
    }
    String auth = ctx.request().getHeader("Authorization");
    byte[] given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
        ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8) : null;
    if (given == null || !MessageDigest.isEqual(given, adminToken)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"admin\"");
      Problems.send(ctx, 401, "the admin API needs Authorization: Bearer <admin token>");
      return;
    }
    ctx.next();
  }

  private void createTenant(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (body == null) {
      Problems.send(ctx, 400, "the body must be a JSON object {\"name\": .., \"tier\": ..}");
      return;
    }
    JsonObject request = new JsonObject().put("name", body.getValue("name")).put("tier", body.getValue("tier", "FREE"));
    reply(ctx, 201, request(Addresses.TENANCY_CREATE_TENANT, request));
  }

  /** Takes effect at once: the gateways' caches of the tenant are invalidated by tenancy. */
  private void changeTier(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (body == null || !(body.getValue("tier") instanceof String tier)) {
      Problems.send(ctx, 400, "the body must be {\"tier\": \"FREE|STANDARD|PREMIUM|ENTERPRISE\"}");
      return;
    }
    reply(ctx, 200, request(TenancyAddresses.CHANGE_TIER, tenant(ctx).put("tier", tier)));
  }

  /** Erasure by crypto-shredding: the keys go first, so the stored personal data is unreadable even if a later step fails. */
  private void deleteTenant(RoutingContext ctx) {
    JsonObject tenant = tenant(ctx);
    Future<JsonObject> done = request(Addresses.TENANCY_GET_TENANT, tenant)
        .compose(t -> request(EncryptionAddresses.SHRED, tenant.copy().put("actor", ACTOR))
            .recover(err -> err instanceof io.vertx.core.eventbus.ReplyException re
                && re.failureCode() == EncryptionAddresses.NO_KEYS
                ? Future.succeededFuture(new JsonObject().put("shredded", true)) : Future.failedFuture(err)))
        .compose(shred -> request(Addresses.TENANCY_DELETE_TENANT, tenant))
        .map(x -> new JsonObject().put("tenantId", tenant.getString("tenantId")).put("deleted", true).put("keysDestroyed", true));
    reply(ctx, 200, done);
  }

  /** One stored event with its personal fields decrypted; the encryption stage audits who read it and why. */
  private void readEvent(RoutingContext ctx) {
    String reason = ctx.request().getParam("reason");
    if (reason == null || reason.isBlank() || reason.length() > 500) {
      Problems.send(ctx, 400, "reason: required (why personal data is read, at most 500 characters); it is audited");
      return;
    }
    JsonObject key = tenant(ctx).put("eventId", ctx.pathParam("eventId"));
    Future<JsonObject> event = request(Addresses.STORE_GET_EVENT, key)
        .compose(stored -> request(EncryptionAddresses.UNPROTECT, new JsonObject()
            .put("tenantId", key.getString("tenantId")).put("actor", ACTOR).put("reason", reason)
            .put("events", new JsonArray().add(stored.getJsonObject("payload"))))
            .map(clear -> stored.put("payload", clear.getJsonArray("events").getJsonObject(0))));
    reply(ctx, 200, event);
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body).map(m -> m.body());
  }

  private static JsonObject tenant(RoutingContext ctx) {
    return new JsonObject().put("tenantId", ctx.pathParam("tenantId"));
  }

  private static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(body -> ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode()))
        .onFailure(err -> GatewayVerticle.downstreamFailed(ctx, err));
  }
}
