package com.ott.gateway;

import com.ott.contract.Failures;
import com.ott.contract.RulesAddresses;
import com.ott.gateway.circuit.Downstream;
import com.ott.gateway.versions.ApiVersion;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A tenant's reference data and rule settings: {@code PUT /api/v2/catalog},
 * {@code PUT /api/v2/accounts} (bulk upserts, every invalid entry listed), and
 * {@code GET/PUT /api/v2/rules}; the same in v3. Writing needs the role analyst.
 */
final class ReferenceRoutes {
  private static final long BODY_LIMIT = 10L * 1024 * 1024;
  // up to 10 MiB of entries to validate, tokenise and store: longer than a lookup
  private static final DeliveryOptions BULK = new DeliveryOptions().setSendTimeout(30_000);

  private final Downstream downstream;

  ReferenceRoutes(Downstream downstream) {
    this.downstream = downstream;
  }

  void mount(Router router, TenantGuards guards) {
    for (ApiVersion version : ApiVersion.CURRENT_AND_PREVIEW) {
      guards.on(router.put(version.path("/catalog")).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)), Role.ANALYST)
          .handler(ctx -> upsert(ctx, RulesAddresses.PUT_CATALOG));
      guards.on(router.put(version.path("/accounts")).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)), Role.ANALYST)
          .handler(ctx -> upsert(ctx, RulesAddresses.PUT_ACCOUNTS));
      guards.on(router.get(version.path("/rules"))).handler(ctx ->
          forward(ctx, RulesAddresses.GET_SETTINGS, new JsonObject().put("tenantId", ctx.<String>get(ApiKeyAuth.TENANT))));
      guards.on(router.put(version.path("/rules")).handler(BodyHandler.create(false).setBodyLimit(256 * 1024)), Role.ANALYST)
          .handler(this::putRules);
    }
  }

  private void putRules(RoutingContext ctx) {
    Object body = parse(ctx);
    if (!(body instanceof JsonObject overrides)) {
      Problems.send(ctx, 400, "the body must be a JSON object of rule settings, e.g. {\"rules\": {\"concurrent_streams\": {\"enabled\": false}}}");
      return;
    }
    forward(ctx, RulesAddresses.PUT_SETTINGS, new JsonObject().put("tenantId", ctx.<String>get(ApiKeyAuth.TENANT)).put("overrides", overrides));
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
    downstream.<JsonObject>request(address, request, BULK).map(Message::body)
        .onSuccess(reply -> ctx.response().putHeader("content-type", "application/json").end(reply.encode()))
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
