package com.ott.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * {@code Authorization: Bearer <JWT>} (vertx-auth-jwt): a token signed with HS256 under {@code auth.jwtSecret}
 * (env {@code OTT_AUTH_JWTSECRET}, at least 32 bytes), or verified with the PEM public key
 * {@code auth.jwtPublicKey} ({@code auth.jwtAlgorithm}, default RS256). Its claims: {@code sub} (who acts; the
 * actor of audits), {@code tenant}, {@code role} ({@code viewer|analyst|admin}, see {@link Role}) and {@code exp}
 * (30 s of clock skew allowed); {@code auth.jwtIssuer} and {@code auth.jwtAudience}, when set, must match
 * {@code iss} and {@code aud}. Nothing is looked up: the signature is the proof, so a token stays valid until it
 * expires.
 */
final class JwtAuth {
  /** Three base64url parts: told apart from API keys by shape alone. */
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final int MAX_TOKEN_LENGTH = 8192;
  private static final int MIN_SECRET_BYTES = 32;
  private static final int LEEWAY_SECONDS = 30;
  private static final int MAX_CLAIM_LENGTH = 256;

  private final JWTAuth provider;

  private JwtAuth(JWTAuth provider) {
    this.provider = provider;
  }

  /** The JWT authentication of a configuration, or null when neither a secret nor a public key is set. */
  static JwtAuth create(Vertx vertx, JsonObject config) {
    String secret = OptionalKeys.text(config, "auth.jwtSecret");
    String publicKey = OptionalKeys.text(config, "auth.jwtPublicKey");
    if (secret.isEmpty() && publicKey.isEmpty()) {
      return null;
    }
    JWTAuthOptions options = new JWTAuthOptions();
    if (!secret.isEmpty()) {
      if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
        throw new IllegalStateException("auth.jwtSecret must be at least " + MIN_SECRET_BYTES + " bytes (HS256)");
      }
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret));
    }
    if (!publicKey.isEmpty()) {
      String algorithm = OptionalKeys.text(config, "auth.jwtAlgorithm");
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm.isEmpty() ? "RS256" : algorithm).setBuffer(publicKey));
    }
    JWTOptions checks = new JWTOptions().setLeeway(LEEWAY_SECONDS);
    String issuer = OptionalKeys.text(config, "auth.jwtIssuer");
    if (!issuer.isEmpty()) {
      checks.setIssuer(issuer);
    }
    String audience = OptionalKeys.text(config, "auth.jwtAudience");
    if (!audience.isEmpty()) {
      checks.addAudience(audience);
    }
    return new JwtAuth(JWTAuth.create(vertx, options.setJWTOptions(checks)));
  }

  static boolean looksLikeJwt(String token) {
    return token.length() <= MAX_TOKEN_LENGTH && SHAPE.matcher(token).matches();
  }

  /** Verifies the token and puts tenant, role and actor in the context, or answers 401. */
  void handle(RoutingContext ctx, String token) {
    provider.authenticate(new TokenCredentials(token)).onComplete(ar -> {
      if (ar.failed()) {
        String message = String.valueOf(ar.cause().getMessage());
        refuse(ctx, message.contains("expired") ? "the token has expired" : "invalid token");
        return;
      }
      JsonObject claims = ar.result().attributes().getJsonObject("accessToken", new JsonObject());
      String subject = text(claims.getValue("sub"));
      String tenant = text(claims.getValue("tenant"));
      Role role = Role.ofClaim(claims.getValue("role"));
      if (subject == null || tenant == null || role == null || !(claims.getValue("exp") instanceof Number)) {
        refuse(ctx, "the token must carry the claims sub, tenant, role (viewer, analyst or admin) and exp");
        return;
      }
      ctx.put(ApiKeyAuth.TENANT, tenant);
      ctx.put(ApiKeyAuth.ACTOR, subject);
      ctx.put(Role.KEY, role);
      ctx.next();
    });
  }

  private static void refuse(RoutingContext ctx, String detail) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + detail + "\"");
    Problems.send(ctx, 401, detail);
  }

  private static String text(Object claim) {
    return claim instanceof String s && !s.isBlank() && s.length() <= MAX_CLAIM_LENGTH ? s : null;
  }
}
