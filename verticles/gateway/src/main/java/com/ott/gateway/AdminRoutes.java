package com.ott.gateway;

import com.ott.contract.Addresses;
import com.ott.contract.EncryptionAddresses;
import com.ott.contract.TenancyAddresses;
import com.ott.gateway.circuit.Downstream;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The operator's admin API under {@code /api/v2/admin}, guarded by the admin token
 * from configuration: tenants, API keys, encryption keys (rotation, rewrap jobs),
 * crypto-shredding and audited reads of personal data. It is served as v2 only.
 */
final class AdminRoutes {
  private static final long BODY_LIMIT = 64 * 1024;
  private static final String ACTOR = "admin";

  private final Downstream downstream;
  private final byte[] adminToken;

  AdminRoutes(Downstream downstream, byte[] adminToken) {
    this.downstream = downstream;
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
    router.post("/api/v2/admin/tenants/:tenantId/keys/rewrap").handler(this::requireAdmin).handler(this::rewrap);
    router.get("/api/v2/admin/rewrap-jobs/:jobId").handler(this::requireAdmin).handler(ctx ->
        reply(ctx, 200, request(EncryptionAddresses.REWRAP_STATUS, new JsonObject().put("jobId", ctx.pathParam("jobId")))));
    router.delete("/api/v2/admin/tenants/:tenantId").handler(this::requireAdmin).handler(this::deleteTenant);
    router.put("/api/v2/admin/tenants/:tenantId/tier")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(this::requireAdmin)
        .handler(this::changeTier);
    router.get("/api/v2/admin/tenants/:tenantId/events/:eventId").handler(this::requireAdmin).handler(this::readEvent);
    router.get("/api/v2/admin/tenants/:tenantId/personal-fields").handler(this::requireAdmin)
        .handler(ctx -> reply(ctx, 200, request(TenancyAddresses.PERSONAL_FIELDS, tenant(ctx))));
    router.put("/api/v2/admin/tenants/:tenantId/personal-fields")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
        .handler(this::requireAdmin)
        .handler(this::setPersonalFields);
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
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      Problems.send(ctx, 400, "the body must be a JSON object {\"name\": .., \"tier\": ..}");
      return;
    }
    JsonObject request = new JsonObject().put("name", body.getValue("name")).put("tier", body.getValue("tier", "FREE"));
    if (body.containsKey("personalFields")) {
      request.put("personalFields", body.getValue("personalFields"));
    }
    reply(ctx, 201, request(Addresses.TENANCY_CREATE_TENANT, request));
  }

  /** Applies to events stored from then on (the encryption stage is told at once); stored events keep theirs. */
  private void setPersonalFields(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    if (body == null || !(body.getValue("personalFields") instanceof io.vertx.core.json.JsonArray fields)) {
      Problems.send(ctx, 400, "the body must be {\"personalFields\": [\"fieldName\" or \"attributes.<name>\", ...]}");
      return;
    }
    reply(ctx, 200, request(TenancyAddresses.SET_PERSONAL_FIELDS, tenant(ctx).put("personalFields", fields)));
  }

  /** Takes effect at once: the gateways' caches of the tenant are invalidated by tenancy. */
  private void changeTier(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
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

  /**
   * Starts re-encrypting the tenant's stored personal fields under its newest key (or finds the job already
   * running): 202 with the job's progress, and its status at {@code Location}.
   */
  private void rewrap(RoutingContext ctx) {
    request(EncryptionAddresses.REWRAP, tenant(ctx).put("actor", ACTOR))
        .onSuccess(progress -> ctx.response().setStatusCode(202).putHeader("content-type", "application/json")
            .putHeader("Location", "/api/v2/admin/rewrap-jobs/" + progress.getString("jobId"))
            .end(progress.encode()))
        .onFailure(err -> GatewayVerticle.downstreamFailed(ctx, err));
  }

  /** One stored event with its personal fields decrypted; the encryption stage audits who read it and why. */
  private void readEvent(RoutingContext ctx) {
    String reason = DecryptedReads.reason(ctx);
    if (reason != null) {
      reply(ctx, 200, DecryptedReads.read(downstream, ctx.pathParam("tenantId"), ctx.pathParam("eventId"), ACTOR, reason));
    }
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return downstream.ask(address, body);
  }

  /** The request's JSON object body, or null when it is not one. */
  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static JsonObject tenant(RoutingContext ctx) {
    return new JsonObject().put("tenantId", ctx.pathParam("tenantId"));
  }

  private static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(body -> ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode()))
        .onFailure(err -> GatewayVerticle.downstreamFailed(ctx, err));
  }
}
