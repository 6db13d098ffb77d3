package com.ott.rules.travel;

import com.ott.contract.EventType;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.Rule;
import com.ott.rules.engine.RuleConfig;
import com.ott.rules.engine.RuleContext;
import com.ott.rules.engine.RuleEvent;
import com.ott.rules.engine.Subject;
import com.ott.rules.engine.TimedMarks;
import com.ott.rules.engine.TimedMarks.Mark;
import com.ott.rules.reference.Countries;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;

/**
 * impossible_travel: an account started playback in two countries whose capitals are more
 * than 500 km apart, sooner than travel at 1,000 km/h allows. Every pair of starts is checked
 * (not only consecutive ones), so the findings do not depend on the order events arrive in;
 * the finding belongs to the later start of the pair.
 */
public final class ImpossibleTravelRule implements Rule {
  public static final String ID = "impossible_travel";
  private static final long HOUR = 3_600_000L;
  // half the earth's circumference: no pair of capitals is farther apart
  private static final double MAX_DISTANCE_KM = 20_038;
  private static final int MAX_STARTS = 200;

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
    if (applies(e)) {
      keys.accept(key(e.account()));
    }
  }

  @Override
  public void evaluate(RuleEvent e, RuleContext ctx, List<Finding> out) {
    if (!applies(e)) {
      return;
    }
    RuleConfig cfg = ctx.config(ID);
    double minDistance = cfg.number("minDistanceKm");
    double maxSpeed = cfg.number("maxSpeedKmh");
    // beyond this gap no pair of countries can be too fast
    long lookback = (long) Math.ceil(MAX_DISTANCE_KM / maxSpeed * HOUR);
    String key = key(e.account());
    TimedMarks starts = ctx.state().get(key, TimedMarks::from);
    for (Mark s : starts.marks()) {
      if (s.eventId().equals(e.eventId())) {
        return;
      }
    }
    for (Mark s : starts.marks()) {
      if (s.label().equals(e.country())) {
        continue;
      }
      double km = Countries.capitalDistanceKm(s.label(), e.country());
      if (!(km > minDistance)) {
        continue;
      }
      long gap = Math.abs(e.time() - s.time());
      double hours = gap / (double) HOUR;
      double speed = gap == 0 ? Double.POSITIVE_INFINITY : km / hours;
      if (speed > maxSpeed) {
        boolean newIsLater = e.time() > s.time() || (e.time() == s.time() && e.eventId().compareTo(s.eventId()) > 0);
        Mark first = newIsLater ? s : new Mark(e.time(), e.country(), e.eventId());
        Mark later = newIsLater ? new Mark(e.time(), e.country(), e.eventId()) : s;
        JsonObject evidence = new JsonObject().put("fromCountry", first.label()).put("toCountry", later.label())
            .put("distanceKm", Math.round(km)).put("hours", Math.round(hours * 100) / 100.0)
            .put("speedKmh", Double.isInfinite(speed) ? null : Math.round(speed))
            .put("maxSpeedKmh", maxSpeed).put("firstEventId", first.eventId());
        out.add(ctx.finding(ID, cfg.severity(), Subject.account(e.account()), later.eventId(), later.time(),
            ctx.window(ID, later.time()), evidence,
            "Playback started in " + first.label() + " and " + later.label() + " (" + Math.round(km)
                + " km apart) within " + String.format(java.util.Locale.ROOT, "%.1f", hours)
                + " h, faster than " + Math.round(maxSpeed) + " km/h allows."));
      }
    }
    long lateness = ctx.settings().allowedLatenessMillis();
    starts.add(new Mark(e.time(), e.country(), e.eventId()), lookback + lateness, MAX_STARTS);
    ctx.state().put(key, starts, lookback + lateness + HOUR);
  }

  private static boolean applies(RuleEvent e) {
    return e.account() != null && Countries.isKnown(e.country());
  }

  private static String key(String account) {
    return "tr:" + account;
  }
}
