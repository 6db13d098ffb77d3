package com.ott.bridge.topics;

import com.ott.bridge.replay.ReplayBuffer;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The topics of one bridge instance. A topic is opened by its first listener and kept for the replay window after
 * its last one leaves, so that clients reconnecting within it get what they missed; topics without a replay buffer
 * close as soon as nobody listens. So the bridge consumes only the addresses of tenants with clients.
 */
public final class Topics {
  private final Vertx vertx;
  private final int replayEntries;
  private final long replayAgeMillis;
  private final Map<String, Topic> byAddress = new HashMap<>();
  private final long sweepTimer;

  public Topics(Vertx vertx, int replayEntries, long replayAgeMillis) {
    this.vertx = vertx;
    this.replayEntries = replayEntries;
    this.replayAgeMillis = replayAgeMillis;
    this.sweepTimer = vertx.setPeriodic(Math.max(1000, Math.min(replayAgeMillis, 10_000)), id -> sweep());
  }

  /** Adds a listener to the topic of that address, opening it when needed. */
  public Topic join(String address, boolean replayable, Topic.Listener listener) {
    Topic topic = byAddress.computeIfAbsent(address, a -> open(a, replayable));
    topic.add(listener);
    return topic;
  }

  public void leave(Topic topic, Topic.Listener listener) {
    if (topic.remove(listener, now()) && topic.listenerCount() == 0 && topic.buffer() == null) {
      close(topic);
    }
  }

  public int size() {
    return byAddress.size();
  }

  /** Messages held for replay across all topics. */
  public long buffered() {
    long n = 0;
    for (Topic t : byAddress.values()) {
      n += t.buffer() == null ? 0 : t.buffer().size();
    }
    return n;
  }

  private Topic open(String address, boolean replayable) {
    Topic topic = new Topic(address, replayable ? new ReplayBuffer(replayEntries, replayAgeMillis) : null,
        vertx.getOrCreateContext(), now());
    topic.consumer = vertx.eventBus().consumer(address, msg -> topic.receive(msg.body(), msg.headers(), now()));
    return topic;
  }

  private void sweep() {
    long now = now();
    for (Iterator<Topic> it = byAddress.values().iterator(); it.hasNext(); ) {
      Topic topic = it.next();
      if (topic.buffer() != null) {
        topic.buffer().expire(now);
      }
      if (topic.listenerCount() == 0 && now - topic.idleSinceMillis > replayAgeMillis) {
        topic.consumer.unregister();
        it.remove();
      }
    }
  }

  private void close(Topic topic) {
    topic.consumer.unregister();
    byAddress.remove(topic.address());
  }

  public void closeAll() {
    vertx.cancelTimer(sweepTimer);
    byAddress.values().forEach(t -> t.consumer.unregister());
    byAddress.clear();
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
