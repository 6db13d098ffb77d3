package com.ott.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Authentication of tenant routes: {@code X-API-Key: <key>} or {@code Authorization: Bearer <key or JWT>}. A bearer
 * credential shaped like a JWT (three dot-separated base64url parts; API keys have no dots) is verified as one
 * ({@link JwtAuth}), anything else is an API key ({@link ApiKeyAuth}). Either way the context then holds the
 * tenant, the caller's {@link Role} and the actor.
 */
final class TenantAuth implements Handler<RoutingContext> {
  private final ApiKeyAuth apiKeys;
  private final JwtAuth jwt;

  /** {@code jwt} null: JWTs are refused (no secret or public key configured). */
  TenantAuth(ApiKeyAuth apiKeys, JwtAuth jwt) {
    this.apiKeys = apiKeys;
    this.jwt = jwt;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String credential = ApiKeyAuth.credential(ctx);
    String apiKeyHeader = ctx.request().getHeader("X-API-Key");
    boolean bearer = apiKeyHeader == null || apiKeyHeader.isBlank();
    if (credential != null && bearer && JwtAuth.looksLikeJwt(credential)) {
      if (jwt == null) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        Problems.send(ctx, 401, "JWT authentication is not enabled on this gateway (auth.jwtSecret or auth.jwtPublicKey); use an API key");
        return;
      }
      jwt.handle(ctx, credential);
      return;
    }
    apiKeys.handle(ctx);
  }
}
