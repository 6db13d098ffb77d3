package com.ott.bridge.eventbus;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.JsonCodec;
import java.lang.reflect.Field;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SockJS wire format of bridge messages, so that a message is escaped once and a batch framed once for every
 * socket, instead of once per socket as {@link SockJSSocket#write} does (vertx-web escapes and frames each write on
 * each session: {@code a["<escaped message>"]}).
 *
 * <p>A socket on SockJS's WebSocket transport is written to through its WebSocket, with a frame built once: what
 * vertx-web would have written, byte for byte (its own {@link JsonCodec} escapes). vertx-web has no public way to
 * reach a session's WebSocket, so it is looked up once per socket in its session; when that is not possible (another
 * transport: XHR streaming or polling, EventSource; or a vertx-web whose internals differ) the socket is written to
 * through {@link SockJSSocket#write}, one message at a time, exactly as before.
 */
public final class SockJsWire {
  private static final Logger LOG = LoggerFactory.getLogger(SockJsWire.class);
  private static final Field SESSION_LISTENER = field("io.vertx.ext.web.handler.sockjs.impl.SockJSSession", "listener");
  private static final Field LISTENER_WEBSOCKET =
      field("io.vertx.ext.web.handler.sockjs.impl.WebSocketTransport$WebSocketListener", "ws");

  /**
   * Messages are put together in one data frame up to this size (a single larger message goes alone): clients
   * limit the size of a WebSocket message (Vert.x's client to 256 KiB by default).
   */
  public static final int MAX_FRAME_CHARS = 64 * 1024;

  private SockJsWire() {}

  /** The message as a JSON string literal, escaped as SockJS escapes it (quotes included). */
  public static String escape(String message) {
    String array = JsonCodec.encode(new String[] {message});
    return array.substring(1, array.length() - 1);
  }

  /** One SockJS data frame carrying these escaped messages, in order. */
  public static String dataFrame(List<String> escaped) {
    int length = 3;
    for (String e : escaped) {
      length += e.length() + 1;
    }
    StringBuilder frame = new StringBuilder(length).append("a[");
    for (int i = 0; i < escaped.size(); i++) {
      if (i > 0) {
        frame.append(',');
      }
      frame.append(escaped.get(i));
    }
    return frame.append(']').toString();
  }

  /** One SockJS data frame carrying one escaped message. */
  public static String dataFrame(String escaped) {
    return "a[" + escaped + "]";
  }

  /** The WebSocket under a SockJS session on the WebSocket transport, or null (another transport). */
  static ServerWebSocket webSocketOf(SockJSSocket socket) {
    if (SESSION_LISTENER == null || LISTENER_WEBSOCKET == null
        || !SESSION_LISTENER.getDeclaringClass().isInstance(socket)) {
      return null;
    }
    try {
      Object listener = SESSION_LISTENER.get(socket);
      if (LISTENER_WEBSOCKET.getDeclaringClass().isInstance(listener)) {
        return (ServerWebSocket) LISTENER_WEBSOCKET.get(listener);
      }
    } catch (IllegalAccessException | RuntimeException e) {
      LOG.debug("SockJS session without a reachable WebSocket: writing through the session", e);
    }
    return null;
  }

  private static Field field(String className, String name) {
    try {
      Field f = Class.forName(className, false, SockJSSocket.class.getClassLoader()).getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("vertx-web's SockJS internals differ from what the bridge expects ({}): every bridge socket is written "
          + "through its session, escaping each message per socket", e.toString());
      return null;
    }
  }
}
