package com.ott.rules.concurrency;

import com.ott.contract.EventType;
import com.ott.rules.engine.FinalizingRule;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.RuleConfig;
import com.ott.rules.engine.RuleContext;
import com.ott.rules.engine.RuleEvent;
import com.ott.rules.engine.StateRecord;
import com.ott.rules.engine.Subject;
import com.ott.rules.reference.Account;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * concurrent_streams: more sessions on distinct devices of an account are live at one instant
 * than the account's maxStreams (default 4). A session is live from its start until its stop,
 * or until 3 heartbeat intervals pass without a heartbeat; sessions are intervals of event
 * time. The number of live devices only rises where a live interval begins, so those instants
 * are checked, each once its event time is final (the account has seen events up to it plus
 * the allowed lateness): a stop arriving late then still counts, as it would in order.
 */
public final class ConcurrentStreamsRule implements FinalizingRule {
  public static final String ID = "concurrent_streams";
  private static final long HOUR = 3_600_000L;
  private static final int MAX_SESSIONS = 100;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String timerPrefix() {
    return "cs";
  }

  @Override
  public boolean handles(EventType type) {
    return type.isPlayback();
  }

  @Override
  public void stateKeys(RuleEvent e, RuleContext ctx, Consumer<String> keys) {
    if (e.account() != null) {
      keys.accept(key(e.account()));
    }
  }

  @Override
  public void finalizationKeys(String account, RuleContext ctx, Consumer<String> keys) {
    keys.accept(key(account));
  }

  @Override
  public void evaluate(RuleEvent e, RuleContext ctx, List<Finding> out) {
    if (e.account() == null || e.session() == null) {
      return;
    }
    String key = key(e.account());
    Sessions rec = ctx.state().get(key, Sessions::from);
    Session s = rec.sessions.get(e.session());
    if (s == null) {
      s = new Session(e.device() != null ? e.device() : "session:" + e.session());
      rec.sessions.put(e.session(), s);
    }
    if (e.type() == EventType.PLAYBACK_STOP) {
      s.stopAt(e.time());
    } else {
      long live = ctx.config(ID).integer("missedHeartbeats") * ctx.settings().heartbeatIntervalMillis();
      Interval begun = s.activity(e.time(), live, e.eventId());
      if (begun != null && begun.start <= rec.finalized) {
        // too late for its instant to be checked in order: check it now, with what is known
        check(e.account(), begun.start, List.of(begun.eventId), rec, ctx, out);
      }
    }
    ctx.state().put(key, rec, ttl(ctx));
  }

  @Override
  public void finalizeUpTo(String account, long watermark, RuleContext ctx, List<Finding> out) {
    String key = key(account);
    Sessions rec = ctx.state().get(key, Sessions::from);
    if (rec.sessions.isEmpty() && rec.timer < 0) {
      return;
    }
    boolean changed = false;
    if (watermark > rec.finalized) {
      TreeMap<Long, List<String>> starts = new TreeMap<>();
      for (Session s : rec.sessions.values()) {
        for (Interval iv : s.intervals) {
          if (iv.start > rec.finalized && iv.start <= watermark) {
            starts.computeIfAbsent(iv.start, k -> new ArrayList<>()).add(iv.eventId);
          }
        }
      }
      starts.forEach((at, eventIds) -> check(account, at, eventIds, rec, ctx, out));
      rec.finalized = watermark;
      // a session that ended before the watermark can no longer be live at an instant still to be checked
      rec.sessions.values().removeIf(s -> s.end() < watermark);
      if (rec.sessions.size() > MAX_SESSIONS) {
        rec.sessions.entrySet().stream().sorted((a, b) -> Long.compare(a.getValue().end(), b.getValue().end()))
            .limit(rec.sessions.size() - MAX_SESSIONS).map(Map.Entry::getKey).toList()
            .forEach(rec.sessions::remove);
      }
      changed = true;
    }
    long next = Long.MAX_VALUE;
    for (Session s : rec.sessions.values()) {
      for (Interval iv : s.intervals) {
        if (iv.start > rec.finalized) {
          next = Math.min(next, iv.start);
        }
      }
    }
    long due = next == Long.MAX_VALUE ? -1 : next + ctx.settings().allowedLatenessMillis();
    if (due != rec.timer) {
      if (due < 0) {
        ctx.state().clearTimer(timerPrefix() + "|" + account);
      } else {
        ctx.state().setTimer(timerPrefix() + "|" + account, due);
      }
      rec.timer = due;
      changed = true;
    }
    if (changed) {
      ctx.state().put(key, rec, ttl(ctx));
    }
  }

  private void check(String account, long at, List<String> eventIds, Sessions rec, RuleContext ctx,
      List<Finding> out) {
    Set<String> devices = new HashSet<>();
    int sessions = 0;
    for (Session s : rec.sessions.values()) {
      if (s.liveAt(at)) {
        devices.add(s.device);
        sessions++;
      }
    }
    RuleConfig cfg = ctx.config(ID);
    Account a = ctx.reference().account(account);
    int max = a != null && a.maxStreams() != null ? a.maxStreams() : cfg.integer("defaultMaxStreams");
    if (devices.size() > max) {
      String eventId = eventIds.stream().min(String::compareTo).orElseThrow();
      JsonObject evidence = new JsonObject().put("liveDevices", devices.size()).put("liveSessions", sessions)
          .put("maxStreams", max);
      out.add(ctx.finding(ID, cfg.severity(), Subject.account(account), eventId, at, ctx.window(ID, at), evidence,
          devices.size() + " devices were streaming at the same time on an account allowed " + max
              + (max == 1 ? " stream." : " streams.")));
    }
  }

  private static long ttl(RuleContext ctx) {
    // long enough for a quiet account's pending instants to be finalized by advanceWatermark
    return 6 * HOUR + 2 * ctx.settings().allowedLatenessMillis();
  }

  private static String key(String account) {
    return "cs:" + account;
  }

  /** A stretch of event time in which a session is live: [start, end). */
  static final class Interval {
    long start;
    long end;
    String eventId;

    Interval(long start, long end, String eventId) {
      this.start = start;
      this.end = end;
      this.eventId = eventId;
    }
  }

  static final class Session {
    final String device;
    long stop = Long.MAX_VALUE;
    final List<Interval> intervals = new ArrayList<>();

    Session(String device) {
      this.device = device;
    }

    boolean liveAt(long t) {
      for (Interval iv : intervals) {
        if (iv.start <= t && t < iv.end) {
          return true;
        }
      }
      return false;
    }

    long end() {
      long end = intervals.isEmpty() ? (stop == Long.MAX_VALUE ? Long.MIN_VALUE : stop) : Long.MIN_VALUE;
      for (Interval iv : intervals) {
        end = Math.max(end, iv.end);
      }
      return end;
    }

    void stopAt(long t) {
      if (t >= stop) {
        return;
      }
      stop = t;
      intervals.removeIf(iv -> iv.start >= t);
      intervals.forEach(iv -> iv.end = Math.min(iv.end, t));
    }

    /** Adds a start or heartbeat at {@code t}; returns the interval when t begins one (a new instant to check). */
    Interval activity(long t, long live, String eventId) {
      if (t >= stop) {
        return null;
      }
      long start = t;
      long end = Math.min(t + live, stop);
      String first = eventId;
      boolean continues = false;
      // intervals are disjoint and not touching, so the new one merges with a contiguous run of them
      for (int i = intervals.size() - 1; i >= 0; i--) {
        Interval iv = intervals.get(i);
        if (iv.start <= end && start <= iv.end) {
          if (iv.start < start || (iv.start == start && iv.eventId.compareTo(first) < 0)) {
            first = iv.eventId;
          }
          continues |= iv.start <= t;
          start = Math.min(start, iv.start);
          end = Math.max(end, iv.end);
          intervals.remove(i);
        }
      }
      Interval merged = new Interval(start, end, first);
      intervals.add(merged);
      intervals.sort((a, b) -> Long.compare(a.start, b.start));
      return continues ? null : merged;
    }
  }

  static final class Sessions implements StateRecord {
    long finalized = Long.MIN_VALUE;
    long timer = -1;
    final Map<String, Session> sessions = new LinkedHashMap<>();

    static Sessions from(JsonObject json) {
      Sessions r = new Sessions();
      if (json != null) {
        r.finalized = json.getLong("f", Long.MIN_VALUE);
        r.timer = json.getLong("t", -1L);
        JsonObject s = json.getJsonObject("s");
        for (Map.Entry<String, Object> e : s) {
          JsonObject o = (JsonObject) e.getValue();
          Session session = new Session(o.getString("d"));
          session.stop = o.getLong("x", Long.MAX_VALUE);
          for (Object i : o.getJsonArray("i")) {
            JsonArray a = (JsonArray) i;
            session.intervals.add(new Interval(a.getLong(0), a.getLong(1), a.getString(2)));
          }
          r.sessions.put(e.getKey(), session);
        }
      }
      return r;
    }

    @Override
    public JsonObject toJson() {
      JsonObject s = new JsonObject();
      sessions.forEach((id, session) -> {
        JsonArray i = new JsonArray();
        session.intervals.forEach(iv -> i.add(new JsonArray().add(iv.start).add(iv.end).add(iv.eventId)));
        JsonObject o = new JsonObject().put("d", session.device).put("i", i);
        if (session.stop != Long.MAX_VALUE) {
          o.put("x", session.stop);
        }
        s.put(id, o);
      });
      return new JsonObject().put("f", finalized).put("t", timer).put("s", s);
    }

    @Override
    public boolean isEmpty() {
      return sessions.isEmpty() && timer < 0;
    }
  }
}
