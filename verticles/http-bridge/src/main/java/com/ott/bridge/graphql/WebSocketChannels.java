package com.ott.bridge.graphql;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty channel under a server WebSocket, so that several messages can be written with one flush (Vert.x flushes
 * every message written outside a read). Vert.x's own WebSocket exposes it ({@link WebSocketInternal}); vertx-web
 * hands handlers a wrapper of it, whose delegate is looked up once per socket. Null when neither works: the caller
 * then writes through the WebSocket's API, one flush per message.
 */
final class WebSocketChannels {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketChannels.class);
  private static final String WRAPPER = "io.vertx.ext.web.impl.ServerWebSocketWrapper";
  private static final Field DELEGATE = delegateField();

  private WebSocketChannels() {}

  static ChannelHandlerContext of(ServerWebSocket socket) {
    ServerWebSocket ws = socket;
    if (DELEGATE != null && DELEGATE.getDeclaringClass().isInstance(ws)) {
      try {
        ws = (ServerWebSocket) DELEGATE.get(ws);
      } catch (IllegalAccessException | RuntimeException e) {
        return null;
      }
    }
    return ws instanceof WebSocketInternal internal ? internal.channelHandlerContext() : null;
  }

  private static Field delegateField() {
    try {
      Field f = Class.forName(WRAPPER, false, ServerWebSocket.class.getClassLoader()).getDeclaredField("delegate");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.info("vertx-web's WebSocket wrapper differs from what the bridge expects ({}): GraphQL subscription "
          + "messages are written one flush each", e.toString());
      return null;
    }
  }
}
