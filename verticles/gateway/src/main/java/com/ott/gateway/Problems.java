package com.ott.gateway;

import com.ott.contract.Problem;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes RFC 9457 problem documents: every error the gateway answers. */
public final class Problems {
  private Problems() {}

  public static void send(RoutingContext ctx, int status, String detail) {
    send(ctx, status, detail, null);
  }

  public static void send(RoutingContext ctx, int status, String detail, JsonObject extensions) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    JsonObject body = Problem.of(status, Problem.titleFor(status), detail)
        .put("instance", ctx.request().path());
    String requestId = ctx.get(RequestIds.KEY);
    if (requestId != null) {
      body.put("requestId", requestId);
    }
    if (extensions != null) {
      extensions.forEach(e -> body.put(e.getKey(), e.getValue()));
    }
    ctx.response().setStatusCode(status).putHeader("content-type", Problem.MEDIA_TYPE).end(body.encode());
  }
}
