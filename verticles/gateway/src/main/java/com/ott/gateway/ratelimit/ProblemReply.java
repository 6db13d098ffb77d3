package com.ott.gateway.ratelimit;

import com.ott.contract.Problem;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** RFC 9457 problem documents for the rate-limit, quota, usage and invoice answers of the gateway. */
public final class ProblemReply {
  /** Where the gateway's request-id handler keeps the request id in the routing context. */
  static final String REQUEST_ID = "requestId";

  private ProblemReply() {}

  public static void send(RoutingContext ctx, int status, String detail) {
    send(ctx, status, Problem.titleFor(status), detail, null);
  }

  /** A problem with its own title (its {@code type} is derived from it) and extension members. */
  public static void send(RoutingContext ctx, int status, String title, String detail, JsonObject extensions) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    JsonObject body = Problem.of(status, title, detail).put("instance", ctx.request().path());
    String requestId = ctx.get(REQUEST_ID);
    if (requestId != null) {
      body.put("requestId", requestId);
    }
    if (extensions != null) {
      extensions.forEach(e -> body.put(e.getKey(), e.getValue()));
    }
    ctx.response().setStatusCode(status).putHeader("content-type", Problem.MEDIA_TYPE).end(body.encode());
  }
}
