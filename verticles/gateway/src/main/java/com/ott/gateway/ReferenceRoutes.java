package com.ott.gateway;

import com.ott.contract.Failures;
import com.ott.contract.RulesAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A tenant's reference data and rule settings: {@code PUT /api/v2/catalog},
 * {@code PUT /api/v2/accounts} (bulk upserts, every invalid entry listed), and
 * {@code GET/PUT /api/v2/rules}.
 */
final class ReferenceRoutes {
  private static final long BODY_LIMIT = 10L * 1024 * 1024;

  private final Vertx vertx;

  ReferenceRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router, TenantGuards guards) {
    guards.on(router.put("/api/v2/catalog").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)))
        .handler(ctx -> upsert(ctx, RulesAddresses.PUT_CATALOG));
    guards.on(router.put("/api/v2/accounts").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)))
        .handler(ctx -> upsert(ctx, RulesAddresses.PUT_ACCOUNTS));
    guards.on(router.get("/api/v2/rules")).handler(ctx ->
        forward(ctx, RulesAddresses.GET_SETTINGS, new JsonObject().put("tenantId", ctx.<String>get(ApiKeyAuth.TENANT))));
    guards.on(router.put("/api/v2/rules").handler(BodyHandler.create(false).setBodyLimit(256 * 1024))).handler(ctx -> {
      Object body = parse(ctx);
      if (!(body instanceof JsonObject overrides)) {
        Problems.send(ctx, 400, "the body must be a JSON object of rule settings, e.g. {\"rules\": {\"concurrent_streams\": {\"enabled\": false}}}");
        return;
      }
      forward(ctx, RulesAddresses.PUT_SETTINGS, new JsonObject().put("tenantId", ctx.<String>get(ApiKeyAuth.TENANT)).put("overrides", overrides));
    });
  }

  private void upsert(RoutingContext ctx, String address) {
    Object body = parse(ctx);
    if (!(body instanceof io.vertx.core.json.JsonArray entries)) {
      Problems.send(ctx, 400, "the body must be a JSON array of entries");
      return;
    }
    forward(ctx, address, new JsonObject().put("tenantId", ctx.<String>get(ApiKeyAuth.TENANT)).put("entries", entries));
  }

  private void forward(RoutingContext ctx, String address, JsonObject request) {
    vertx.eventBus().<JsonObject>request(address, request)
        .onSuccess(reply -> ctx.response().putHeader("content-type", "application/json").end(reply.body().encode()))
        .onFailure(err -> {
          if (Failures.statusOf(err) == 400 && err.getMessage() != null && err.getMessage().startsWith("{\"invalid\"")) {
            var invalid = new JsonObject(err.getMessage()).getJsonArray("invalid");
            Problems.send(ctx, 400, invalid.size() + " invalid entr" + (invalid.size() == 1 ? "y" : "ies") + "; nothing was changed",
                new JsonObject().put("errors", invalid));
          } else {
            GatewayVerticle.downstreamFailed(ctx, err);
          }
        });
  }

  private static Object parse(RoutingContext ctx) {
    try {
      var buffer = ctx.body().buffer();
      return buffer == null || buffer.length() == 0 ? null : io.vertx.core.json.Json.decodeValue(buffer);
    } catch (DecodeException e) {
      return null;
    }
  }
}
