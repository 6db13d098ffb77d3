package com.ott.bridge.graphql;

import com.ott.bridge.topics.Topic;
import com.ott.bridge.topics.Topics;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The source of a GraphQL subscription: the messages of one {@link Topic} that pass a filter (tested once per message
 * for all the subscribers sharing the execution), with reactive-streams demand and at most {@code maxQueued} messages
 * waiting for it. What waits for each subscriber is bounded by {@link SharedSubscriptions}.
 */
final class TopicPublisher implements Publisher<Object> {
  /** The close code and reason sent to a GraphQL WebSocket that cannot keep up. */
  static final short SLOW_CONSUMER_CLOSE = 1008;

  private final Topics topics;
  private final Context context;
  private final String address;
  private final boolean replayable;
  private final Predicate<JsonObject> filter;
  private final int maxQueued;

  TopicPublisher(Topics topics, Context context, String address, boolean replayable, Predicate<JsonObject> filter,
                 int maxQueued) {
    this.topics = topics;
    this.context = context;
    this.address = address;
    this.replayable = replayable;
    this.filter = filter;
    this.maxQueued = maxQueued;
  }

  @Override
  public void subscribe(Subscriber<? super Object> subscriber) {
    TopicSubscription s = new TopicSubscription(subscriber);
    // topics belong to the bridge verticle's event loop
    context.runOnContext(v -> {
      s.loop = Thread.currentThread();
      s.topic = topics.join(address, replayable, s);
      subscriber.onSubscribe(s);
    });
  }

  private final class TopicSubscription implements Subscription, Topic.Listener {
    final Subscriber<? super Object> subscriber;
    final ArrayDeque<JsonObject> queue = new ArrayDeque<>();
    Topic topic;
    Thread loop;
    long demand;
    boolean done;
    boolean draining;

    TopicSubscription(Subscriber<? super Object> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void deliver(Topic.Batch batch) {
      for (Topic.Delivery delivery : batch.deliveries()) {
        if (done) {
          return;
        }
        offer(delivery.json());
      }
    }

    private void offer(JsonObject body) {
      if (body == null || !filter.test(body)) {
        return;
      }
      if (queue.size() >= maxQueued) {
        finish();
        subscriber.onError(new ErrorCodes.ApiException(ApiError.SLOW_CONSUMER,
            "slow consumer: more than " + maxQueued + " events waiting; subscribe again"));
        return;
      }
      queue.add(body);
      drain();
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        finish();
        subscriber.onError(new IllegalArgumentException("request must be positive"));
        return;
      }
      run(() -> {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        drain();
      });
    }

    @Override
    public void cancel() {
      run(this::finish);
    }

    private void drain() {
      if (draining) {
        return;
      }
      draining = true;
      try {
        while (!done && demand > 0 && !queue.isEmpty()) {
          demand--;
          subscriber.onNext(queue.poll());
        }
      } finally {
        draining = false;
      }
    }

    private void finish() {
      if (!done) {
        done = true;
        queue.clear();
        if (topic != null) {
          topics.leave(topic, this);
        }
      }
    }

    private void run(Runnable action) {
      if (Thread.currentThread() == loop) {
        action.run();
      } else {
        context.runOnContext(v -> action.run());
      }
    }
  }
}
