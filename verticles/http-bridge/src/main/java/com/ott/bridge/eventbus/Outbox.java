package com.ott.bridge.eventbus;

import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * What one SockJS socket has been given to write and not yet written to the network, bounded in messages and
 * characters. A write completes when the transport has sent it (a WebSocket frame flushed, a poll answered), so a
 * client that reads slowly fills this and nothing else: the bridge then stops replaying to it or disconnects it.
 *
 * <p>Messages go out as SockJS data frames built by the caller once for all sockets ({@link SockJsWire}), written
 * straight to the socket's WebSocket; on other transports, through the session one message at a time.
 */
final class Outbox {
  private final SockJSSocket socket;
  private final ServerWebSocket webSocket;
  private final int maxFrames;
  private final long maxChars;
  private int frames;
  private long chars;
  private List<Runnable> drainActions = new ArrayList<>();

  Outbox(SockJSSocket socket, int maxFrames, long maxChars) {
    this.socket = socket;
    this.webSocket = SockJsWire.webSocketOf(socket);
    this.maxFrames = maxFrames;
    this.maxChars = maxChars;
  }

  boolean hasRoom() {
    return frames < maxFrames && chars < maxChars;
  }

  /** Messages that may still be given before the bound (at least 1 when {@link #hasRoom()}). */
  int room() {
    return Math.max(0, maxFrames - frames);
  }

  /** Characters that may still be given before the bound. */
  long roomChars() {
    return Math.max(0, maxChars - chars);
  }

  int frames() {
    return frames;
  }

  long chars() {
    return chars;
  }

  /** Whether data frames are written straight to a WebSocket (else through the SockJS session). */
  boolean direct() {
    return webSocket != null;
  }

  /**
   * One message (a bridge frame: JSON text), on the same path as the data frames so that it keeps its place among
   * them. Completes when it is written.
   */
  Future<Void> write(String frame) {
    Future<Void> written = webSocket != null
        ? webSocket.writeTextMessage(SockJsWire.dataFrame(SockJsWire.escape(frame)))
        : socket.write(frame);
    track(1, frame.length(), written);
    return written;
  }

  /** One message already escaped for SockJS ({@link SockJsWire#escape}). */
  void write(String frame, String escaped) {
    if (webSocket != null) {
      track(1, frame.length(), webSocket.writeTextMessage(SockJsWire.dataFrame(escaped)));
    } else {
      track(1, frame.length(), socket.write(frame));
    }
  }

  /**
   * Messages as one SockJS data frame built by the caller ({@code dataFrame}, from their escaped forms), or, on
   * a transport without direct access, the bridge frames one by one through the session.
   */
  void write(List<String> frames, String dataFrame) {
    if (webSocket != null) {
      track(frames.size(), dataFrame.length(), webSocket.writeTextMessage(dataFrame));
    } else {
      frames.forEach(this::write);
    }
  }

  private void track(int n, int length, Future<Void> written) {
    frames += n;
    chars += length;
    written.onComplete(ar -> {
      frames -= n;
      chars -= length;
      // below half of both bounds: worth resuming a replay that waits for room
      if (!drainActions.isEmpty() && frames <= maxFrames / 2 && chars <= maxChars / 2) {
        List<Runnable> actions = drainActions;
        drainActions = new ArrayList<>();
        actions.forEach(Runnable::run);
      }
    });
  }

  /** Runs the action once, when the outbox has drained to half its bounds. */
  void onDrain(Runnable action) {
    if (!drainActions.contains(action)) {
      drainActions.add(action);
    }
  }
}
