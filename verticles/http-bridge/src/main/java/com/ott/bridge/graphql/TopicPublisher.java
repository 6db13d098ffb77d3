package com.ott.bridge.graphql;

import com.ott.bridge.topics.Topic;
import com.ott.bridge.topics.Topics;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

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

  private final class TopicSubscription extends QueuedSubscription<Object> implements Topic.Listener {
    Topic topic;
    Thread loop;

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
        leave();
        subscriber.onError(new ErrorCodes.ApiException(ApiError.SLOW_CONSUMER,
            "slow consumer: more than " + maxQueued + " events waiting; subscribe again"));
        return;
      }
      queue.add(body);
      drain();
    }

    @Override
    void leave() {
      if (!done) {
        done = true;
        queue.clear();
        if (topic != null) {
          topics.leave(topic, this);
        }
      }
    }

    @Override
    void onLoop(Runnable action) {
      if (Thread.currentThread() == loop) {
        action.run();
      } else {
        context.runOnContext(v -> action.run());
      }
    }
  }
}
