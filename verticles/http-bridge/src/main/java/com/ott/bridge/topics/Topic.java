package com.ott.bridge.topics;

import com.ott.bridge.eventbus.SockJsWire;
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
  /**
   * A message as delivered to listeners: its bridge frame (the JSON envelope a bridge client receives), the same
   * escaped for SockJS, and its replay buffer entry (null when the message is not replayable).
   */
  public record Delivery(long seq, Object body, String frame, String escaped, ReplayBuffer.Entry entry) {
    public JsonObject json() {
      return body instanceof JsonObject j ? j : null;
    }
  }

  /**
   * The messages that arrived in one event-loop turn, handed to every listener as they are. What is written to
   * sockets is built at most once per batch, whatever the number of sockets: the SockJS data frame carrying all of
   * them ({@link #dataFrame()}).
   */
  public static final class Batch {
    /** Messages of one SockJS data frame: their bridge frames and the data frame carrying them all. */
    public record Chunk(List<String> frames, String dataFrame) {}

    private final List<Delivery> deliveries;
    private List<Chunk> chunks;

    Batch(List<Delivery> deliveries) {
      this.deliveries = deliveries;
    }

    public List<Delivery> deliveries() {
      return deliveries;
    }

    public int size() {
      return deliveries.size();
    }

    /**
     * The batch as SockJS data frames, built once: as few as {@link SockJsWire#MAX_FRAME_CHARS} allows, every
     * message in one of them, in order.
     */
    public List<Chunk> chunks() {
      if (chunks == null) {
        List<Chunk> out = new ArrayList<>(1);
        List<String> frames = new ArrayList<>();
        List<String> escaped = new ArrayList<>();
        long chars = 0;
        for (Delivery d : deliveries) {
          if (!frames.isEmpty() && chars + d.escaped().length() > SockJsWire.MAX_FRAME_CHARS) {
            out.add(new Chunk(List.copyOf(frames), SockJsWire.dataFrame(escaped)));
            frames.clear();
            escaped.clear();
            chars = 0;
          }
          frames.add(d.frame());
          escaped.add(d.escaped());
          chars += d.escaped().length() + 1;
        }
        out.add(new Chunk(List.copyOf(frames), SockJsWire.dataFrame(escaped)));
        chunks = out;
      }
      return chunks;
    }
  }

  /** Receives the messages of the topic, in arrival order, on the topic's event loop. */
  public interface Listener {
    void deliver(Batch batch);
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
    // escaped here, once, rather than by SockJS for every socket
    String escaped = SockJsWire.escape(frame);
    ReplayBuffer.Entry entry = null;
    if (buffer != null && seq >= 0) {
      long before = buffer.tail();
      entry = buffer.append(seq, frame, escaped, nowMillis);
      if (buffer.tail() == before) {
        // the same change published twice (a retry upstream): listeners have it already
        return;
      }
    }
    pending.add(new Delivery(seq, body, frame, escaped, entry));
    if (pending.size() == 1) {
      // under load, every message already queued on the loop arrives before this runs: batching costs no delay
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    Batch batch = new Batch(List.copyOf(pending));
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
