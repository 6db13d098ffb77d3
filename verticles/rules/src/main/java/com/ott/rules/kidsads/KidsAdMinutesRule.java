package com.ott.rules.kidsads;

import com.ott.contract.EventType;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.Rule;
import com.ott.rules.engine.RuleConfig;
import com.ott.rules.engine.RuleContext;
import com.ott.rules.engine.RuleEvent;
import com.ott.rules.engine.StateRecord;
import com.ott.rules.engine.Subject;
import com.ott.rules.engine.Windows;
import com.ott.rules.reference.Title;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * kids_ad_minutes: ad seconds an account saw on kids content within one clock hour of the
 * tenant's time zone exceed 630 on Saturday/Sunday or 720 on weekdays (the US limits for
 * children's programming, applied as policy). Each impression counts once (by event id).
 */
public final class KidsAdMinutesRule implements Rule {
  public static final String ID = "kids_ad_minutes";
  private static final long HOUR = 3_600_000L;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean handles(EventType type) {
    return type == EventType.AD_IMPRESSION;
  }

  @Override
  public void stateKeys(RuleEvent e, RuleContext ctx, Consumer<String> keys) {
    if (applies(e, ctx)) {
      keys.accept(key(e, ctx.settings().timeZone()));
    }
  }

  @Override
  public void evaluate(RuleEvent e, RuleContext ctx, List<Finding> out) {
    if (!applies(e, ctx)) {
      return;
    }
    ZoneId zone = ctx.settings().timeZone();
    String key = key(e, zone);
    HourOfAds hour = ctx.state().get(key, HourOfAds::from);
    if (!hour.eventIds.add(e.eventId())) {
      return;
    }
    hour.seconds += e.adDurationSec();
    // the hour's record is needed until no event of that hour can arrive within the lateness
    ctx.state().put(key, hour, 2 * HOUR + ctx.settings().allowedLatenessMillis());
    RuleConfig cfg = ctx.config(ID);
    Instant hourStart = Windows.clockHour(e.time(), zone);
    DayOfWeek day = hourStart.atZone(zone).getDayOfWeek();
    boolean weekend = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
    int limit = weekend ? cfg.integer("weekendMaxSeconds") : cfg.integer("weekdayMaxSeconds");
    if (hour.seconds > limit) {
      JsonObject evidence = new JsonObject().put("adSeconds", hour.seconds).put("limitSeconds", limit)
          .put("hourStart", hourStart.toString()).put("weekend", weekend).put("contentId", e.content());
      out.add(ctx.finding(ID, cfg.severity(), Subject.account(e.account()), e.eventId(), e.time(), hourStart,
          evidence, "Kids content showed " + Math.round(hour.seconds) + " s of ads in one clock hour, above the "
              + (weekend ? "weekend" : "weekday") + " limit of " + limit + " s."));
    }
  }

  private static boolean applies(RuleEvent e, RuleContext ctx) {
    Title title = ctx.reference().title(e.content());
    return title != null && title.kidsContent() && e.account() != null && e.adDurationSec() != null
        && e.adDurationSec() > 0;
  }

  private static String key(RuleEvent e, ZoneId zone) {
    return "ka:" + e.account() + ":" + Windows.clockHour(e.time(), zone).getEpochSecond();
  }

  static final class HourOfAds implements StateRecord {
    double seconds;
    final Set<String> eventIds = new LinkedHashSet<>();

    static HourOfAds from(JsonObject json) {
      HourOfAds h = new HourOfAds();
      if (json != null) {
        h.seconds = json.getDouble("s", 0.0);
        JsonArray ids = json.getJsonArray("e");
        if (ids != null) {
          ids.forEach(id -> h.eventIds.add((String) id));
        }
      }
      return h;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("s", seconds).put("e", new JsonArray(List.copyOf(eventIds)));
    }

    @Override
    public boolean isEmpty() {
      return eventIds.isEmpty();
    }
  }
}
