package com.ott.gateway;

import com.ott.contract.Addresses;
import com.ott.contract.BatchFormat;
import com.ott.contract.Failures;
import com.ott.gateway.circuit.Downstream;
import com.ott.gateway.usage.UsageMeter;
import com.ott.gateway.versions.ApiVersion;
import com.ott.gateway.versions.LegacyEvents;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;

/**
 * Event batches, one core for every version: {@code POST /api/v{1,2,3}/events} hands the batch to ingestion
 * ({@code ott.ingest.http-batch}) and meters it. v2 answers 202 with ingestion's result; v1 first converts its
 * flat legacy events ({@link LegacyEvents}) and answers in v1 terms; v3 answers 207 with one result per event.
 * {@code GET /api/v{2,3}/events/{eventId}?reason=} gives a tenant admin one stored event with its personal data
 * decrypted (audited under the caller's actor).
 */
final class EventRoutes {
  private final Downstream downstream;
  private final UsageMeter usageMeter;
  private final long maxBatchBytes;
  private final long requestTimeoutMs;

  EventRoutes(Downstream downstream, UsageMeter usageMeter, long maxBatchBytes, long requestTimeoutMs) {
    this.downstream = downstream;
    this.usageMeter = usageMeter;
    this.maxBatchBytes = maxBatchBytes;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  void mount(Router router, TenantGuards guards) {
    for (ApiVersion version : ApiVersion.values()) {
      String path = version.path("/events");
      // a route of its own: Vert.x Web runs body handlers before user handlers of the same route
      router.post(path).handler(this::checkEventsRequest);
      guards.on(router.post(path).handler(BodyHandler.create(false).setBodyLimit(maxBatchBytes)), Role.ANALYST)
          .handler(ctx -> post(ctx, version));
    }
    for (ApiVersion version : ApiVersion.CURRENT_AND_PREVIEW) {
      guards.on(router.get(version.path("/events/:eventId")), Role.ADMIN).handler(this::readDecrypted);
    }
  }

  /** Rejects a wrong content type or a declared oversize body before reading it. */
  private void checkEventsRequest(RoutingContext ctx) {
    try {
      BatchFormat.of(ctx.request().getHeader("content-type"));
    } catch (Failures.Rejection r) {
      Problems.send(ctx, r.status(), r.getMessage());
      return;
    }
    String length = ctx.request().getHeader("content-length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBatchBytes) {
          Problems.send(ctx, 413, "a batch is at most " + maxBatchBytes + " bytes");
          return;
        }
      } catch (NumberFormatException e) {
        Problems.send(ctx, 400, "invalid Content-Length");
        return;
      }
    }
    ctx.next();
  }

  private void post(RoutingContext ctx, ApiVersion version) {
    String contentType = ctx.request().getHeader("content-type");
    Buffer body = ctx.body().buffer();
    if (body == null) {
      body = Buffer.buffer();
    }
    Buffer batch = version == ApiVersion.V1 ? LegacyEvents.toV2(body, BatchFormat.of(contentType)) : body;
    ingest(ctx.get(ApiKeyAuth.TENANT), contentType, batch, body.length())
        .onSuccess(reply -> {
          switch (version) {
            case V1 -> json(ctx, 202, LegacyEvents.replyToV1(reply));
            case V2 -> json(ctx, 202, reply);
            case V3 -> json(ctx, 207, perEventResults(reply));
          }
        })
        .onFailure(err -> GatewayVerticle.downstreamFailed(ctx, err));
  }

  /** The core of every version: ingestion validates and stores the batch; the stored events are metered. */
  private Future<JsonObject> ingest(String tenantId, String contentType, Buffer batch, long receivedBytes) {
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(requestTimeoutMs)
        .addHeader("tenant-id", tenantId)
        .addHeader("content-type", contentType);
    return downstream.<JsonObject>request(Addresses.INGEST_HTTP_BATCH, batch, options)
        .map(reply -> {
          usageMeter.recordBatch(tenantId, reply.body(), receivedBytes);
          return reply.body();
        });
  }

  /**
   * v3: {@code {accepted, stored, duplicates, results: [{index, status: accepted|rejected, eventId?, errors?}]}},
   * one result per element of the batch, in order.
   */
  static JsonObject perEventResults(JsonObject reply) {
    JsonArray rejected = reply.getJsonArray("rejected", new JsonArray());
    Map<Integer, JsonObject> byIndex = new HashMap<>();
    for (Object o : rejected) {
      if (o instanceof JsonObject r && r.getInteger("index") != null) {
        byIndex.put(r.getInteger("index"), r);
      }
    }
    int total = reply.getInteger("accepted", 0) + rejected.size();
    JsonArray results = new JsonArray(new java.util.ArrayList<>(total));
    for (int i = 0; i < total; i++) {
      JsonObject r = byIndex.get(i);
      JsonObject result = new JsonObject().put("index", i).put("status", r == null ? "accepted" : "rejected");
      if (r != null) {
        if (r.getValue("eventId") != null) {
          result.put("eventId", r.getValue("eventId"));
        }
        result.put("errors", r.getJsonArray("errors", new JsonArray()));
      }
      results.add(result);
    }
    return new JsonObject().put("accepted", reply.getInteger("accepted", 0)).put("stored", reply.getInteger("stored", 0))
        .put("duplicates", reply.getInteger("duplicates", 0)).put("rejected", rejected.size()).put("results", results);
  }

  private void readDecrypted(RoutingContext ctx) {
    String reason = DecryptedReads.reason(ctx);
    if (reason == null) {
      return;
    }
    DecryptedReads.read(downstream, ctx.get(ApiKeyAuth.TENANT), ctx.pathParam("eventId"), ctx.get(ApiKeyAuth.ACTOR), reason)
        .onSuccess(event -> json(ctx, 200, event))
        .onFailure(err -> GatewayVerticle.downstreamFailed(ctx, err));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
