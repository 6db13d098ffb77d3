package com.ott.bridge.eventbus;

import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * What one SockJS socket has been given to write and not yet written to the network, bounded in frames and
 * characters. A write completes when the transport has sent it (a WebSocket frame flushed, a poll answered), so a
 * client that reads slowly fills this and nothing else: the bridge then stops replaying to it or disconnects it.
 */
final class Outbox {
  private final SockJSSocket socket;
  private final int maxFrames;
  private final long maxChars;
  private int frames;
  private long chars;
  private List<Runnable> drainActions = new ArrayList<>();

  Outbox(SockJSSocket socket, int maxFrames, long maxChars) {
    this.socket = socket;
    this.maxFrames = maxFrames;
    this.maxChars = maxChars;
  }

  boolean hasRoom() {
    return frames < maxFrames && chars < maxChars;
  }

  int frames() {
    return frames;
  }

  long chars() {
    return chars;
  }

  void write(String frame) {
    int length = frame.length();
    frames++;
    chars += length;
    socket.write(frame).onComplete(ar -> {
      frames--;
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
