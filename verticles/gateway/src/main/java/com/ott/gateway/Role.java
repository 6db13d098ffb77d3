package com.ott.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * What a caller may do in its tenant, each role including the ones before it: a {@code viewer} reads; an
 * {@code analyst} also sends events, acknowledges and resolves alerts and replaces reference data and rule
 * settings; an {@code admin} also reads decrypted personal data. A JWT names its role; an API key is an admin.
 */
public enum Role {
  VIEWER, ANALYST, ADMIN;

  /** Where the authentication handlers leave the caller's role in the routing context. */
  public static final String KEY = "role";

  public boolean includes(Role other) {
    return compareTo(other) >= 0;
  }

  public String claim() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role of a JWT {@code role} claim, null when it is none of viewer, analyst, admin. */
  static Role ofClaim(Object claim) {
    if (claim instanceof String s) {
      for (Role r : values()) {
        if (r.claim().equals(s)) {
          return r;
        }
      }
    }
    return null;
  }

  /** A handler that lets the request on only when the authenticated caller has at least {@code minimum}. */
  public static Handler<RoutingContext> atLeast(Role minimum) {
    return ctx -> {
      Role role = ctx.get(KEY);
      if (role == null || !role.includes(minimum)) {
        Problems.send(ctx, 403, role == null
            ? "this needs the role " + minimum.claim() + " or higher"
            : "role " + role.claim() + " may not do this: it needs " + minimum.claim() + (minimum == ADMIN ? "" : " or higher"));
        return;
      }
      ctx.next();
    };
  }
}
