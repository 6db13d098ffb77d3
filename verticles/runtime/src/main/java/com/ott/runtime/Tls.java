package com.ott.runtime;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;

/** TLS for a listener, when its configuration section has {@code tls.enabled}. */
public final class Tls {
  private Tls() {}

  public static HttpServerOptions serverOptions(JsonObject listenerConfig) {
    HttpServerOptions options = new HttpServerOptions();
    JsonObject tls = listenerConfig.getJsonObject("tls");
    if (tls != null && tls.getBoolean("enabled", false)) {
      options.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions()
              .setCertPath(tls.getString("certPath"))
              .setKeyPath(tls.getString("keyPath")))
          .setEnabledSecureTransportProtocols(java.util.Set.of("TLSv1.3"));
    }
    return options;
  }
}
