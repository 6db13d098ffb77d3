package com.ott.rules.sharing;

import com.ott.contract.EventType;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.Rule;
import com.ott.rules.engine.RuleConfig;
import com.ott.rules.engine.RuleContext;
import com.ott.rules.engine.RuleEvent;
import com.ott.rules.engine.StateRecord;
import com.ott.rules.engine.Subject;
import com.ott.rules.engine.Windows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * credential_sharing: within a sliding window of 31 days, an account used more than 5 devices,
 * or more than 3 network prefixes (IPv4 /24, IPv6 /48), that were each seen on at least 3
 * days (one-off devices, like a hotel TV, do not count). Days are calendar days of the tenant's
 * time zone; a day violates when the window ending on it does. When a start fills in an
 * earlier day, the later days are checked again, so arrival order does not change the result.
 */
public final class CredentialSharingRule implements Rule {
  public static final String ID = "credential_sharing";
  private static final long DAY = 86_400_000L;
  private static final int MAX_ENTRIES = 200;

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
    if (e.account() != null) {
      keys.accept(key(e.account()));
    }
  }

  @Override
  public void evaluate(RuleEvent e, RuleContext ctx, java.util.List<Finding> out) {
    if (e.account() == null || (e.device() == null && e.network() == null)) {
      return;
    }
    RuleConfig cfg = ctx.config(ID);
    ZoneId zone = ctx.settings().timeZone();
    int windowDays = cfg.integer("windowDays");
    String key = key(e.account());
    Usage usage = ctx.state().get(key, Usage::from);
    long day = Windows.day(e.time(), zone).toEpochDay();
    boolean changed = false;
    if (e.device() != null) {
      changed |= usage.devices.computeIfAbsent(e.device(), d -> new TreeSet<>()).add(day);
    }
    if (e.network() != null) {
      changed |= usage.networks.computeIfAbsent(e.network(), n -> new TreeSet<>()).add(day);
    }
    long newest = Math.max(usage.newestDay(), day);
    if (changed) {
      usage.prune(newest - windowDays);
      ctx.state().put(key, usage, (windowDays + 2) * DAY + ctx.settings().allowedLatenessMillis());
    }
    // the event's own day, and (when this start added a day) every later day the account was active on
    TreeSet<Long> days = new TreeSet<>();
    days.add(day);
    if (changed) {
      usage.devices.values().forEach(s -> days.addAll(s.tailSet(day, false)));
      usage.networks.values().forEach(s -> days.addAll(s.tailSet(day, false)));
    }
    int minDays = cfg.integer("minDaysEach");
    int maxDevices = cfg.integer("maxDevices");
    int maxNetworks = cfg.integer("maxNetworks");
    for (long d : days) {
      int devices = count(usage.devices, d - windowDays + 1, d, minDays);
      int networks = count(usage.networks, d - windowDays + 1, d, minDays);
      if (devices > maxDevices || networks > maxNetworks) {
        LocalDate date = LocalDate.ofEpochDay(d);
        JsonObject evidence = new JsonObject().put("day", date.toString()).put("devices", devices)
            .put("maxDevices", maxDevices).put("networks", networks).put("maxNetworks", maxNetworks)
            .put("minDaysEach", minDays).put("windowDays", windowDays);
        String what = devices > maxDevices ? devices + " devices" : networks + " network prefixes";
        out.add(ctx.finding(ID, cfg.severity(), Subject.account(e.account()), e.eventId(), e.time(),
            Windows.bucket(Windows.dayStart(date, zone).toEpochMilli(), cfg.alertWindowSeconds()), evidence,
            "An account was used from " + what + " on at least " + minDays + " days each within " + windowDays
                + " days up to " + date + "."));
      }
    }
  }

  private static int count(Map<String, TreeSet<Long>> seen, long fromDay, long toDay, int minDays) {
    int n = 0;
    for (TreeSet<Long> days : seen.values()) {
      if (days.subSet(fromDay, true, toDay, true).size() >= minDays) {
        n++;
      }
    }
    return n;
  }

  private static String key(String account) {
    return "cr:" + account;
  }

  static final class Usage implements StateRecord {
    final Map<String, TreeSet<Long>> devices = new HashMap<>();
    final Map<String, TreeSet<Long>> networks = new HashMap<>();

    static Usage from(JsonObject json) {
      Usage u = new Usage();
      if (json != null) {
        read(json.getJsonObject("d"), u.devices);
        read(json.getJsonObject("n"), u.networks);
      }
      return u;
    }

    long newestDay() {
      long newest = Long.MIN_VALUE;
      for (TreeSet<Long> s : devices.values()) {
        newest = Math.max(newest, s.last());
      }
      for (TreeSet<Long> s : networks.values()) {
        newest = Math.max(newest, s.last());
      }
      return newest;
    }

    void prune(long oldestDay) {
      prune(devices, oldestDay);
      prune(networks, oldestDay);
    }

    private static void prune(Map<String, TreeSet<Long>> seen, long oldestDay) {
      seen.values().forEach(s -> s.headSet(oldestDay).clear());
      seen.values().removeIf(TreeSet::isEmpty);
      if (seen.size() > MAX_ENTRIES) {
        // keep the most recently seen
        seen.entrySet().stream().sorted((a, b) -> Long.compare(a.getValue().last(), b.getValue().last()))
            .limit(seen.size() - MAX_ENTRIES).map(Map.Entry::getKey).toList().forEach(seen::remove);
      }
    }

    private static void read(JsonObject json, Map<String, TreeSet<Long>> into) {
      if (json == null) {
        return;
      }
      for (Map.Entry<String, Object> e : json) {
        TreeSet<Long> days = new TreeSet<>();
        for (Object d : (JsonArray) e.getValue()) {
          days.add(((Number) d).longValue());
        }
        into.put(e.getKey(), days);
      }
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("d", write(devices)).put("n", write(networks));
    }

    private static JsonObject write(Map<String, TreeSet<Long>> seen) {
      JsonObject o = new JsonObject();
      seen.forEach((k, v) -> o.put(k, new JsonArray(new java.util.ArrayList<>(v))));
      return o;
    }

    @Override
    public boolean isEmpty() {
      return devices.isEmpty() && networks.isEmpty();
    }
  }
}
