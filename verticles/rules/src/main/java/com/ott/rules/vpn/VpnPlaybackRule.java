package com.ott.rules.vpn;

import com.ott.contract.EventType;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.Rule;
import com.ott.rules.engine.RuleConfig;
import com.ott.rules.engine.RuleContext;
import com.ott.rules.engine.RuleEvent;
import com.ott.rules.engine.Severity;
import com.ott.rules.engine.Subject;
import com.ott.rules.engine.TimedMarks;
import com.ott.rules.engine.TimedMarks.Mark;
import com.ott.rules.reference.Title;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;

/**
 * vpn_playback: a session started through a VPN/proxy on a title that blocks anonymisers.
 * Three or more such sessions of one account within 24 h raise it to HIGH. The count is over
 * sessions by event time, so a session arriving late raises the sessions after it as well.
 */
public final class VpnPlaybackRule implements Rule {
  public static final String ID = "vpn_playback";
  private static final long HOUR = 3_600_000L;
  private static final int MAX_SESSIONS = 500;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean handles(EventType type) {
    return type == EventType.PLAYBACK_START;
  }

  @Override
  public void stateKeys(RuleEvent e, RuleContext ctx, Consumer<String> keys) {
    if (applies(e, ctx)) {
      keys.accept(key(e.account()));
    }
  }

  @Override
  public void evaluate(RuleEvent e, RuleContext ctx, List<Finding> out) {
    if (!applies(e, ctx)) {
      return;
    }
    RuleConfig cfg = ctx.config(ID);
    long window = cfg.integer("escalateWindowHours") * HOUR;
    int escalateAfter = cfg.integer("escalateAfterSessions");
    String key = key(e.account());
    TimedMarks sessions = ctx.state().get(key, TimedMarks::from);
    String sessionKey = e.session() != null ? e.session() : e.eventId();
    for (Mark s : sessions.marks()) {
      if (s.label().equals(sessionKey)) {
        return;
      }
    }
    Mark added = new Mark(e.time(), sessionKey, e.eventId());
    long lateness = ctx.settings().allowedLatenessMillis();
    sessions.add(added, window + lateness, MAX_SESSIONS);
    ctx.state().put(key, sessions, window + lateness + HOUR);

    int count = count(sessions, e.time(), window, null);
    Severity severity = count >= escalateAfter ? cfg.severity("escalatedSeverity") : cfg.severity();
    out.add(finding(ctx, cfg, e.account(), added, severity, count, e.content()));
    // sessions after this one, within the window, may now reach the escalation count
    for (Mark s : sessions.marks()) {
      if (s != added && s.time() >= e.time() && s.time() < e.time() + window) {
        int now = count(sessions, s.time(), window, null);
        int before = count(sessions, s.time(), window, added);
        if (now >= escalateAfter && before < escalateAfter) {
          out.add(finding(ctx, cfg, e.account(), s, cfg.severity("escalatedSeverity"), now, null));
        }
      }
    }
  }

  private static Finding finding(RuleContext ctx, RuleConfig cfg, String account, Mark s, Severity severity,
      int count, String contentId) {
    JsonObject evidence = new JsonObject().put("sessionsIn24h", count)
        .put("escalateAfterSessions", cfg.integer("escalateAfterSessions"));
    if (contentId != null) {
      evidence.put("contentId", contentId);
    }
    return ctx.finding(ID, severity, Subject.account(account), s.eventId(), s.time(), ctx.window(ID, s.time()), evidence,
        "A session was started through a VPN or proxy on a title that blocks anonymisers (" + count
            + " such session" + (count == 1 ? "" : "s") + " of the account within "
            + cfg.integer("escalateWindowHours") + " h).");
  }

  /** Sessions in (time - window, time], leaving out {@code without}. */
  private static int count(TimedMarks sessions, long time, long window, Mark without) {
    int n = 0;
    for (Mark s : sessions.marks()) {
      if (s != without && s.time() <= time && s.time() > time - window) {
        n++;
      }
    }
    return n;
  }

  private static boolean applies(RuleEvent e, RuleContext ctx) {
    if (!e.is(e.vpn()) || e.account() == null) {
      return false;
    }
    Title title = ctx.reference().title(e.content());
    return title != null && title.blockAnonymizers();
  }

  private static String key(String account) {
    return "vp:" + account;
  }
}
