package com.ott.bridge.auth;

import io.vertx.core.MultiMap;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Cross-site WebSocket hijacking guard: a browser always sends {@code Origin} on WebSocket and cross-origin
 * requests; one from another site is refused unless configured ({@code bridge.allowedOrigins}, {@code *} for any).
 * Requests without {@code Origin} (tools, servers) pass: they authenticate with a key, never with cookies.
 */
public final class OriginCheck {
  private final List<String> allowed;
  private final boolean any;

  public OriginCheck(List<String> allowedOrigins) {
    this.allowed = allowedOrigins.stream().map(o -> o.trim().toLowerCase(Locale.ROOT)).filter(o -> !o.isEmpty()).toList();
    this.any = allowed.contains("*");
  }

  /** Whether a request with these headers may open a socket. */
  public boolean permits(MultiMap headers) {
    String origin = headers == null ? null : headers.get("origin");
    if (origin == null || any) {
      return true;
    }
    String o = origin.trim().toLowerCase(Locale.ROOT);
    if (allowed.contains(o)) {
      return true;
    }
    // same origin: the Origin's host and port are the Host the request was sent to
    String host = headers.get("host");
    if (host == null || o.equals("null")) {
      return false;
    }
    try {
      URI uri = URI.create(o);
      if (uri.getHost() == null) {
        return false;
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
      String h = host.trim().toLowerCase(Locale.ROOT);
      String hostOnly = h;
      int hostPort = "https".equals(uri.getScheme()) ? 443 : 80;
      int colon = h.lastIndexOf(':');
      if (colon > 0 && h.indexOf(']') < colon) {
        hostOnly = h.substring(0, colon);
        hostPort = Integer.parseInt(h.substring(colon + 1));
      }
      return hostOnly.equals(uri.getHost()) && hostPort == port;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
