package com.ott.bridge.graphql;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import io.micrometer.core.instrument.Gauge;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Subscriptions that ask the same thing share one execution: the subscribers of one tenant with the same document,
 * operation name and variables (so the same filter and selection set) get the results of one graphql-java
 * subscription, which runs the selection set once per event for all of them, instead of once per subscriber; the
 * result is encoded to JSON once too, and each subscriber's {@code next} message is that payload behind its own id,
 * written by this class to the subscriber's socket ({@link NextMessages}).
 *
 * <p>An instrumentation: the result of every subscription operation (a publisher of results, one per event) is
 * replaced by a member of the shared execution of its key, started by its first member and ended (its topic left)
 * when the last one leaves. The first subscriber's own execution is the shared one; the others' are never subscribed
 * to, so they cost nothing after validation. graphql-transport-ws still owns the protocol (subscribe, complete,
 * errors, the end of a subscription); a member keeps what every subscriber had alone: at most {@code maxQueued}
 * messages written and not yet sent (then it ends with {@code SLOW_CONSUMER}) and its socket's write queue bound
 * (then the socket is closed, code 1008). Confined to the bridge verticle's event loop.
 */
final class SharedSubscriptions extends SimplePerformantInstrumentation {
  private final Context context;
  private final Thread loop;
  private final int maxQueued;
  private final Map<String, Shared> byKey = new HashMap<>();
  // members given messages in this event-loop turn: written out (one flush each) at its end
  private final List<Member> unflushed = new ArrayList<>();

  SharedSubscriptions(Context context, int maxQueued, MeterRegistry meters) {
    this.context = context;
    // made while the bridge verticle starts, on its event loop
    this.loop = Thread.currentThread();
    this.maxQueued = maxQueued;
    Gauge.builder("ott_bridge_graphql_shared_subscriptions", byKey, Map::size)
        .description("distinct GraphQL subscriptions executed (shared by their subscribers)").register(meters);
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
      InstrumentationExecutionParameters parameters, InstrumentationState state) {
    if (!(result.getData() instanceof Publisher<?> publisher)) {
      return CompletableFuture.completedFuture(result);
    }
    Caller caller = parameters.getGraphQLContext().get(Caller.class);
    if (caller == null || caller.socket() == null) {
      return CompletableFuture.completedFuture(result);
    }
    Member member = new Member(key(caller.tenantId(), parameters.getExecutionInput()),
        (Publisher<ExecutionResult>) publisher, caller.socket(),
        caller.operationId() == null ? null : NextMessages.prefix(caller.operationId()));
    return CompletableFuture.completedFuture(result.transform(b -> b.data(member)));
  }

  /** Subscriptions of one tenant are shared when the operation and its variables are the same. */
  static String key(String tenantId, ExecutionInput input) {
    Map<String, Object> variables = input.getVariables();
    return tenantId + '\n' + Objects.toString(input.getOperationName(), "") + '\n'
        + (variables == null || variables.isEmpty() ? "" : new JsonObject(variables).encode()) + '\n' + input.getQuery();
  }

  int executions() {
    return byKey.size();
  }

  /** The member's messages of this turn are written at its end, with those of every other member. */
  private void scheduleFlush(Member member) {
    unflushed.add(member);
    if (unflushed.size() == 1) {
      context.runOnContext(v -> {
        List<Member> members = new ArrayList<>(unflushed);
        unflushed.clear();
        for (Member m : members) {
          if (m.channel.executor().inEventLoop()) {
            m.flush();
          } else {
            m.channel.executor().execute(m::flush);
          }
        }
      });
    }
  }

  private void onLoop(Runnable action) {
    if (Thread.currentThread() == loop) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** One execution and its members; the results are handed to each member as they come. */
  private final class Shared implements Subscriber<ExecutionResult> {
    final String key;
    final Publisher<ExecutionResult> source;
    List<Member> members = List.of();
    Subscription upstream;
    boolean done;

    Shared(String key, Publisher<ExecutionResult> source) {
      this.key = key;
      this.source = source;
    }

    void add(Member member) {
      List<Member> next = new ArrayList<>(members);
      next.add(member);
      // copy on write: a member may leave while a result is handed out
      members = List.copyOf(next);
    }

    void remove(Member member) {
      List<Member> next = new ArrayList<>(members);
      next.remove(member);
      members = List.copyOf(next);
      if (members.isEmpty()) {
        end();
        if (upstream != null) {
          upstream.cancel();
        }
      }
    }

    private void end() {
      done = true;
      byKey.remove(key, this);
    }

    @Override
    public void onSubscribe(Subscription s) {
      onLoop(() -> {
        upstream = s;
        if (done) {
          s.cancel();
        } else {
          // members bound what waits for each of them; the source only passes results on
          s.request(Long.MAX_VALUE);
        }
      });
    }

    @Override
    public void onNext(ExecutionResult result) {
      onLoop(() -> {
        if (members.isEmpty()) {
          return;
        }
        // encoded here once: each member's message then only puts its id in front of the same bytes
        String payload = NextMessages.payload(result);
        ByteBuf payloadBytes = Unpooled.copiedBuffer(payload + "}", StandardCharsets.UTF_8);
        try {
          for (Member member : members) {
            member.offer(result, payload, payloadBytes);
          }
        } finally {
          payloadBytes.release();
        }
      });
    }

    @Override
    public void onError(Throwable error) {
      onLoop(() -> {
        end();
        members.forEach(m -> m.fail(error));
      });
    }

    @Override
    public void onComplete() {
      onLoop(() -> {
        end();
        members.forEach(Member::complete);
      });
    }
  }

  /** What one subscriber gets: the publisher handed to graphql-transport-ws, and its subscription. */
  private final class Member extends QueuedSubscription<ExecutionResult> implements Publisher<ExecutionResult> {
    final String key;
    final Publisher<ExecutionResult> ownExecution;
    final ServerWebSocket socket;
    // the start of this subscriber's next messages; null when the operation id is unknown: results then go through
    // graphql-transport-ws one by one, with demand
    final String nextPrefix;
    // the socket's channel, to write a turn's messages with one flush; null when not reachable: one write each
    final ChannelHandlerContext channel;
    final ByteBuf prefixBytes;
    final List<TextWebSocketFrame> pending = new ArrayList<>();
    int unsent;
    Shared shared;

    Member(String key, Publisher<ExecutionResult> ownExecution, ServerWebSocket socket, String nextPrefix) {
      this.key = key;
      this.ownExecution = ownExecution;
      this.socket = socket;
      this.nextPrefix = nextPrefix;
      this.channel = nextPrefix == null ? null : WebSocketChannels.of(socket);
      this.prefixBytes = channel == null ? null
          : Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(nextPrefix, StandardCharsets.UTF_8));
    }

    @Override
    public void subscribe(Subscriber<? super ExecutionResult> s) {
      onLoop(() -> {
        subscriber = s;
        Shared existing = byKey.get(key);
        boolean first = existing == null;
        shared = first ? new Shared(key, ownExecution) : existing;
        if (first) {
          byKey.put(key, shared);
        }
        shared.add(this);
        s.onSubscribe(this);
        if (first) {
          shared.source.subscribe(shared);
        }
      });
    }

    void offer(ExecutionResult result, String payload, ByteBuf payloadBytes) {
      if (done) {
        return;
      }
      if (socket.isClosed()) {
        leave();
        return;
      }
      if (socket.writeQueueFull() || (channel != null && !channel.channel().isWritable())) {
        leave();
        socket.close(TopicPublisher.SLOW_CONSUMER_CLOSE, "slow consumer: the socket's write queue is full");
        return;
      }
      if (queue.size() + unsent >= maxQueued) {
        leave();
        subscriber.onError(new ErrorCodes.ApiException(ApiError.SLOW_CONSUMER,
            "slow consumer: more than " + maxQueued + " events waiting; subscribe again"));
        return;
      }
      if (channel != null) {
        unsent++;
        pending.add(new TextWebSocketFrame(Unpooled.wrappedBuffer(prefixBytes.duplicate(), payloadBytes.retainedDuplicate())));
        if (pending.size() == 1) {
          scheduleFlush(this);
        }
        return;
      }
      if (nextPrefix != null) {
        unsent++;
        socket.writeTextMessage(NextMessages.message(nextPrefix, payload)).onComplete(ar -> unsent--);
        return;
      }
      queue.add(result);
      drain();
    }

    /** Writes the messages given in this turn, with one flush; on the channel's event loop. */
    void flush() {
      if (pending.isEmpty()) {
        return;
      }
      List<TextWebSocketFrame> frames = new ArrayList<>(pending);
      pending.clear();
      if (done || socket.isClosed()) {
        frames.forEach(TextWebSocketFrame::release);
        unsent -= frames.size();
        return;
      }
      for (TextWebSocketFrame frame : frames) {
        channel.write(frame).addListener(f -> unsent--);
      }
      channel.flush();
    }

    void fail(Throwable error) {
      if (!done) {
        // what this turn gave it goes out before the end of the subscription
        flush();
        done = true;
        queue.clear();
        subscriber.onError(error);
      }
    }

    void complete() {
      if (!done) {
        flush();
        done = true;
        queue.clear();
        subscriber.onComplete();
      }
    }

    @Override
    void onLoop(Runnable action) {
      SharedSubscriptions.this.onLoop(action);
    }

    @Override
    void leave() {
      if (!done) {
        done = true;
        queue.clear();
        pending.forEach(TextWebSocketFrame::release);
        unsent -= pending.size();
        pending.clear();
        if (shared != null) {
          shared.remove(this);
        }
      }
    }
  }
}
