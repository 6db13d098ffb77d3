package com.ott.bridge.topics;

import com.ott.bridge.replay.ReplayBuffer;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One browser address ({@code ott.alerts.<tenantId>} or {@code ott.metrics.<tenantId>}) as this bridge instance
 * sees it: a single bus consumer whose messages are encoded once, kept in a {@link ReplayBuffer} when they carry a
 * {@code seq}, and handed to every listener (bridge sockets, GraphQL subscriptions). Confined to the event loop of
 * the verticle that owns it.
 */
public final class Topic {
  /** A message as delivered to listeners. {@code entry} is null when the message is not replayable. */
  public record Delivery(long seq, Object body, String frame, ReplayBuffer.Entry entry) {
    public JsonObject json() {
      return body instanceof JsonObject j ? j : null;
    }
  }

  /** Receives the messages of the topic, in arrival order, on the topic's event loop. */
  public interface Listener {
    void deliver(List<Delivery> deliveries);
  }

  private final String address;
  private final ReplayBuffer buffer;
  private final io.vertx.core.Context context;
  private List<Listener> listeners = List.of();
  // messages received and not yet handed to listeners: handed out together at the end of the event-loop turn,
  // so that a socket gets one transport frame (one write, one flush) for all of them
  private final List<Delivery> pending = new ArrayList<>();
  MessageConsumer<Object> consumer;
  long idleSinceMillis;

  Topic(String address, ReplayBuffer buffer, io.vertx.core.Context context, long nowMillis) {
    this.address = address;
    this.buffer = buffer;
    this.context = context;
    this.idleSinceMillis = nowMillis;
  }

  public String address() {
    return address;
  }

  /** The replay buffer, or null for an address whose messages are not replayed. */
  public ReplayBuffer buffer() {
    return buffer;
  }

  public int listenerCount() {
    return listeners.size();
  }

  void add(Listener listener) {
    List<Listener> next = new ArrayList<>(listeners);
    next.add(listener);
    // copy on write: a listener may leave (socket closed) while a message is being handed out
    listeners = List.copyOf(next);
  }

  boolean remove(Listener listener, long nowMillis) {
    List<Listener> next = new ArrayList<>(listeners);
    boolean removed = next.remove(listener);
    listeners = List.copyOf(next);
    if (listeners.isEmpty()) {
      idleSinceMillis = nowMillis;
    }
    return removed;
  }

  void receive(Object body, MultiMap headers, long nowMillis) {
    long seq = parseSeq(headers.get("seq"));
    JsonObject envelope = new JsonObject().put("type", "rec").put("address", address);
    if (!headers.isEmpty()) {
      JsonObject h = new JsonObject();
      for (String name : headers.names()) {
        h.put(name, headers.get(name));
      }
      envelope.put("headers", h);
    }
    String frame = envelope.put("body", body).encode();
    ReplayBuffer.Entry entry = null;
    if (buffer != null && seq >= 0) {
      long before = buffer.tail();
      entry = buffer.append(seq, frame, nowMillis);
      if (buffer.tail() == before) {
        // the same change published twice (a retry upstream): listeners have it already
        return;
      }
    }
    pending.add(new Delivery(seq, body, frame, entry));
    if (pending.size() == 1) {
      // under load, every message already queued on the loop arrives before this runs: batching costs no delay
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    List<Delivery> batch = List.copyOf(pending);
    pending.clear();
    for (Listener listener : listeners) {
      listener.deliver(batch);
    }
  }

  static long parseSeq(String text) {
    if (text == null || text.isEmpty() || text.length() > 19) {
      return -1;
    }
    try {
      long seq = Long.parseLong(text);
      return seq >= 0 ? seq : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
