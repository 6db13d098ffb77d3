package com.ott.bridge.eventbus;

import com.ott.bridge.auth.Credentials;
import com.ott.bridge.auth.OriginCheck;
import com.ott.bridge.auth.Principal;
import com.ott.bridge.auth.TenantResolver;
import com.ott.bridge.replay.ReplayBuffer;
import com.ott.bridge.topics.BrowserAddress;
import com.ott.bridge.topics.Topic;
import com.ott.bridge.topics.Topics;
import com.ott.contract.Failures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy of the SockJS event-bus bridge ({@code /eventbus}), as its bridge-event handler:
 * <ul>
 *   <li>a socket from a foreign Origin is refused; a socket whose URL carries {@code ?access_token=} is
 *       authenticated once, else each frame's headers ({@code x-api-key} or {@code authorization: Bearer}) are;</li>
 *   <li>a client registers only on its own tenant's {@code ott.alerts.<tenantId>} and {@code ott.metrics.<tenantId>};
 *       every send and publish from a client, and every other address, is refused with an error frame;</li>
 *   <li>messages reach sockets through one {@link Topic} per address (encoded once, buffered for replay), written
 *       through a bounded {@link Outbox}: a socket that cannot keep up is disconnected with a reason;</li>
 *   <li>a register frame with header {@code since-seq} first gets what arrived after that seq, then the live stream.</li>
 * </ul>
 * Refusals are logged and counted ({@link Refusals}). All state is confined to the owning verticle's event loop.
 */
public final class EventBusBridge implements Handler<BridgeEvent> {
  /** Bounds and timings of the bridge ({@code bridge.*} configuration). */
  public record Settings(long pingTimeoutMs, int maxQueuedFrames, long maxQueuedBytes, int maxSubscriptionsPerSocket) {}

  private static final long CLOSE_GRACE_MS = 2000;

  private final Vertx vertx;
  private final TenantResolver resolver;
  private final OriginCheck origins;
  private final Topics topics;
  private final Settings settings;
  private final Refusals refusals;
  private final Map<SockJSSocket, BridgeSocket> sockets = new HashMap<>();
  private final Counter replayed;
  private final Counter replayGaps;
  private final Counter delivered;
  private final Counter registrations;
  private final Counter directSockets;
  private final Counter sessionSockets;

  public EventBusBridge(Vertx vertx, TenantResolver resolver, OriginCheck origins, Topics topics, Settings settings,
                        MeterRegistry meters) {
    this.vertx = vertx;
    this.resolver = resolver;
    this.origins = origins;
    this.topics = topics;
    this.settings = settings;
    this.refusals = new Refusals(meters);
    this.replayed = Counter.builder("ott_bridge_replayed").description("messages replayed to reconnecting clients").register(meters);
    this.replayGaps = Counter.builder("ott_bridge_replay_gaps")
        .description("reconnects and lagging replays that could not be given everything missed").register(meters);
    this.delivered = Counter.builder("ott_bridge_delivered").description("live messages written to bridge sockets").register(meters);
    this.registrations = Counter.builder("ott_bridge_registrations").description("registrations accepted").register(meters);
    this.directSockets = Counter.builder("ott_bridge_sockets_opened").tag("writes", "websocket")
        .description("sockets opened, by how frames are written: straight to the WebSocket, or through the SockJS session")
        .register(meters);
    this.sessionSockets = Counter.builder("ott_bridge_sockets_opened").tag("writes", "session")
        .description("sockets opened, by how frames are written: straight to the WebSocket, or through the SockJS session")
        .register(meters);
    Gauge.builder("ott_bridge_sockets", sockets, Map::size).description("open bridge sockets").register(meters);
  }

  /** What the bridge itself enforces besides this handler: no inbound address, outbound only browser addresses. */
  public SockJSBridgeOptions bridgeOptions() {
    return new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(BrowserAddress.REGEX))
        .setPingTimeout(settings.pingTimeoutMs())
        .setMaxAddressLength(200)
        .setMaxHandlersPerSocket(settings.maxSubscriptionsPerSocket());
  }

  @Override
  public void handle(BridgeEvent event) {
    switch (event.type()) {
      case SOCKET_CREATED -> socketCreated(event);
      case REGISTER -> register(event);
      case UNREGISTER -> unregister(event);
      case SEND, PUBLISH -> inbound(event);
      // messages reach sockets through the topics, never through a per-socket consumer of the bridge
      case RECEIVE -> event.complete(false);
      case SOCKET_IDLE -> {
        BridgeSocket s = sockets.get(event.socket());
        refusals.record("idle", "socket", s == null ? null : s.tenantHint(), null,
            "no ping for " + settings.pingTimeoutMs() + " ms: closing");
        event.complete(true);
      }
      case SOCKET_CLOSED, SOCKET_ERROR -> {
        BridgeSocket s = sockets.remove(event.socket());
        if (s != null) {
          s.close();
        }
        event.complete(true);
      }
      default -> event.complete(true);
    }
  }

  private void socketCreated(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    if (!origins.permits(socket.headers())) {
      refusals.record("origin", "socket", null, null, "Origin " + socket.headers().get("origin"));
      event.complete(false);
      return;
    }
    BridgeSocket state = new BridgeSocket(socket);
    sockets.put(socket, state);
    (state.outbox.direct() ? directSockets : sessionSockets).increment();
    String token = Credentials.fromQuery(socket.uri());
    if (token != null) {
      // resolved while the socket opens: frames that come meanwhile wait for it in authenticate()
      state.urlPrincipal = resolver.resolve(token).onFailure(err -> {
        refusals.record("unauthenticated", "socket", null, null, "access_token: " + err.getMessage());
        state.closeWith(errorFrame(null, Failures.statusOf(err), "UNAUTHENTICATED", err.getMessage()));
      });
    }
    event.complete(true);
  }

  private void register(BridgeEvent event) {
    JsonObject frame = event.getRawMessage();
    String address = frame.getString("address");
    BridgeSocket state = sockets.get(event.socket());
    if (state == null) {
      event.complete(false);
      return;
    }
    authenticate(state, frame).onComplete(ar -> {
      if (ar.failed()) {
        refuse(event, state, null, address, address, "unauthenticated", ar.cause());
        return;
      }
      Principal who = ar.result();
      BrowserAddress target = BrowserAddress.parse(address);
      if (target == null || !target.tenantId().equals(who.tenantId())) {
        refuse(event, state, who, address, address, "forbidden_address", Failures.reject(Failures.FORBIDDEN,
            "a client may listen only on ott.alerts." + who.tenantId() + " and ott.metrics." + who.tenantId()));
        return;
      }
      if (state.closed || sockets.get(event.socket()) != state) {
        event.complete(false);
        return;
      }
      if (state.subscriptions.containsKey(address)) {
        refuse(event, state, who, address, address, "already_registered",
            Failures.reject(Failures.CONFLICT, "this socket is already registered on " + address));
        return;
      }
      if (state.subscriptions.size() >= settings.maxSubscriptionsPerSocket()) {
        refuse(event, state, who, address, address, "too_many_registrations",
            Failures.reject(Failures.FORBIDDEN, "at most " + settings.maxSubscriptionsPerSocket() + " registrations per socket"));
        return;
      }
      state.tenantHint = who.tenantId();
      state.subscribe(target, sinceSeq(frame));
      registrations.increment();
      // Accepted, and deliberately left uncompleted: completing it would make the bridge register a bus consumer
      // for this one socket and copy every message of the address into it, only for RECEIVE to drop it again.
      // The topic is this socket's consumer (one per address, however many sockets); the bridge answers nothing to
      // an accepted register either way, and keeps no state for it.
    });
  }

  private void unregister(BridgeEvent event) {
    BridgeSocket state = sockets.get(event.socket());
    if (state != null) {
      state.unsubscribe(event.getRawMessage().getString("address"));
    }
    event.complete(true);
  }

  private void inbound(BridgeEvent event) {
    JsonObject frame = event.getRawMessage();
    BridgeSocket state = sockets.get(event.socket());
    String address = frame.getString("address");
    String replyAddress = frame.getString("replyAddress");
    refuse(event, state, null, address, replyAddress != null && replyAddress.length() <= 36 ? replyAddress : address,
        "inbound_refused", Failures.reject(Failures.FORBIDDEN,
            "the bridge delivers alerts and metrics only; it accepts no " + event.type().name().toLowerCase() + " (use GraphQL)"));
  }

  private Future<Principal> authenticate(BridgeSocket state, JsonObject frame) {
    String key = Credentials.fromJson(frame.getJsonObject("headers"));
    if (key == null && state.urlPrincipal != null) {
      return state.urlPrincipal;
    }
    return resolver.resolve(key);
  }

  private void refuse(BridgeEvent event, BridgeSocket state, Principal who, String address, String errorAddress,
                      String reason, Throwable cause) {
    int status = Failures.statusOf(cause);
    String kind = event.type().name().toLowerCase();
    refusals.record(reason, kind, who == null ? (state == null ? null : state.tenantHint) : who.tenantId(), address,
        cause.getMessage());
    if (state != null && !state.closed) {
      // the bridge adds its own {"type":"err","body":"rejected"}; this one says why, on the address concerned
      String type = switch (status) {
        case Failures.UNAUTHORIZED -> "UNAUTHENTICATED";
        case Failures.FORBIDDEN -> "ACCESS_DENIED";
        case Failures.CONFLICT -> "ALREADY_REGISTERED";
        default -> "UNAVAILABLE";
      };
      event.socket().write(errorFrame(errorAddress, status, type, cause.getMessage()));
    }
    event.complete(false);
  }

  private static long sinceSeq(JsonObject frame) {
    JsonObject headers = frame.getJsonObject("headers");
    Object since = headers == null ? null : headers.getValue("since-seq");
    if (since instanceof Number n) {
      return n.longValue();
    }
    if (since instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  static String errorFrame(String address, int code, String type, String message) {
    JsonObject frame = new JsonObject().put("type", "err");
    if (address != null) {
      frame.put("address", address);
    }
    return frame.put("failureCode", code).put("failureType", type).put("message", message)
        // what the bridge's own error frames carry, for clients that read only that
        .put("body", type.toLowerCase()).encode();
  }

  /** One client socket: its outbox and its subscriptions. */
  private final class BridgeSocket {
    final SockJSSocket socket;
    final Outbox outbox;
    final Map<String, Subscription> subscriptions = new HashMap<>();
    Future<Principal> urlPrincipal;
    String tenantHint;
    boolean closed;

    BridgeSocket(SockJSSocket socket) {
      this.socket = socket;
      this.outbox = new Outbox(socket, settings.maxQueuedFrames(), settings.maxQueuedBytes());
    }

    String tenantHint() {
      return tenantHint != null ? tenantHint
          : urlPrincipal == null || !urlPrincipal.succeeded() ? null : urlPrincipal.result().tenantId();
    }

    void subscribe(BrowserAddress target, long sinceSeq) {
      Subscription sub = new Subscription(this, target.address());
      subscriptions.put(target.address(), sub);
      sub.topic = topics.join(target.address(), target.replayable(), sub);
      ReplayBuffer buffer = sub.topic.buffer();
      if (buffer == null) {
        sub.live = true;
        return;
      }
      if (sinceSeq < 0) {
        sub.cursor = buffer.tail();
        sub.live = true;
        return;
      }
      ReplayBuffer.Resume resume = buffer.resumeAfter(sinceSeq, System.currentTimeMillis());
      sub.cursor = resume.fromArrival();
      sub.skipUpToSeq = resume.skipUpToSeq();
      if (!resume.complete()) {
        replayGaps.increment();
        outbox.write(errorFrame(sub.address, 410, "REPLAY_GAP", "seq " + sinceSeq
            + " is no longer in the replay window: what is left after it follows; reload the alert list to be complete"));
      }
      sub.pump();
    }

    void unsubscribe(String address) {
      Subscription sub = subscriptions.remove(address);
      if (sub != null) {
        topics.leave(sub.topic, sub);
      }
    }

    void slowConsumer(String address, String why) {
      if (closed) {
        return;
      }
      refusals.record("slow_consumer", "socket", tenantHint(), address, why);
      // past the bound on purpose: the reason goes out before the close frame
      closeWith(errorFrame(address, 429, "SLOW_CONSUMER", why
          + "; disconnected, reconnect and register with since-seq to resume"));
    }

    /** Sends a last frame and closes: nothing more is written; the socket closes once the frame is out. */
    void closeWith(String lastFrame) {
      close();
      // SockJS drops frames not yet handed to the transport when a session closes, so close after the write;
      // a client that reads nothing any more is closed a little later all the same
      outbox.write(lastFrame).onComplete(ar -> socket.close());
      vertx.setTimer(CLOSE_GRACE_MS, id -> socket.close());
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      subscriptions.values().forEach(sub -> topics.leave(sub.topic, sub));
      subscriptions.clear();
    }
  }

  /** One socket's registration on one address: live, or catching up through the topic's replay buffer. */
  private final class Subscription implements Topic.Listener {
    final BridgeSocket owner;
    final String address;
    Topic topic;
    boolean live;
    // next arrival number of the replay buffer to write, and seqs not to replay (when resuming after a gap)
    long cursor;
    long skipUpToSeq = Long.MIN_VALUE;
    final Runnable resume = this::pump;

    Subscription(BridgeSocket owner, String address) {
      this.owner = owner;
      this.address = address;
    }

    @Override
    public void deliver(Topic.Batch batch) {
      if (owner.closed) {
        return;
      }
      if (live && isNew(batch)) {
        // the usual case: the data frames built once for every socket of the topic
        for (Topic.Batch.Chunk chunk : batch.chunks()) {
          if (!owner.outbox.hasRoom()) {
            tooSlow();
            return;
          }
          owner.outbox.write(chunk.frames(), chunk.dataFrame());
        }
        delivered.increment(batch.size());
        ReplayBuffer.Entry last = batch.deliveries().get(batch.size() - 1).entry();
        if (last != null) {
          cursor = last.arrival() + 1;
        }
        return;
      }
      for (Topic.Delivery delivery : batch.deliveries()) {
        if (owner.closed) {
          return;
        }
        if (delivery.entry() != null && !live) {
          // catching up: the cursor gets to these messages in order
          pump();
          return;
        }
        if (delivery.entry() != null && delivery.entry().arrival() < cursor) {
          // received before this registration, or replayed to it already
          continue;
        }
        if (!owner.outbox.hasRoom()) {
          tooSlow();
          return;
        }
        owner.outbox.write(delivery.frame(), delivery.escaped());
        delivered.increment();
        if (delivery.entry() != null) {
          cursor = delivery.entry().arrival() + 1;
        }
      }
    }

    /** Whether no message of the batch has been written to this socket yet (nothing was replayed past it). */
    private boolean isNew(Topic.Batch batch) {
      for (Topic.Delivery delivery : batch.deliveries()) {
        if (delivery.entry() != null) {
          return delivery.entry().arrival() >= cursor;
        }
      }
      return true;
    }

    private void tooSlow() {
      owner.slowConsumer(address, "more than " + settings.maxQueuedFrames() + " messages or "
          + settings.maxQueuedBytes() + " characters waiting to be sent");
    }

    /**
     * Writes buffered messages from the cursor while the outbox has room, several to a SockJS data frame; live once
     * caught up.
     */
    void pump() {
      ReplayBuffer buffer = topic.buffer();
      List<String> frames = new ArrayList<>();
      List<String> escaped = new ArrayList<>();
      while (!owner.closed) {
        if (cursor < buffer.head()) {
          // evicted before this client got them: it is too slow for the replay window
          replayGaps.increment();
          if (!owner.outbox.hasRoom()) {
            owner.slowConsumer(address, "fell behind the replay window while catching up");
            return;
          }
          owner.outbox.write(errorFrame(address, 410, "REPLAY_GAP",
              "some alerts left the replay window before they could be sent; reload the alert list to be complete"));
          cursor = buffer.head();
        }
        if (cursor >= buffer.tail()) {
          live = true;
          return;
        }
        if (!owner.outbox.hasRoom()) {
          owner.outbox.onDrain(resume);
          return;
        }
        int room = owner.outbox.room();
        long chars = 0;
        long maxChars = Math.min(owner.outbox.roomChars(), SockJsWire.MAX_FRAME_CHARS);
        while (cursor < buffer.tail() && frames.size() < room && (frames.isEmpty() || chars < maxChars)) {
          ReplayBuffer.Entry entry = buffer.get(cursor++);
          if (entry.seq() > skipUpToSeq) {
            frames.add(entry.frame());
            escaped.add(entry.escaped());
            chars += entry.escaped().length() + 1;
          }
        }
        if (!frames.isEmpty()) {
          owner.outbox.write(List.copyOf(frames), SockJsWire.dataFrame(escaped));
          replayed.increment(frames.size());
          frames.clear();
          escaped.clear();
        }
      }
    }
  }
}
