package com.ott.rules.consent;

import com.iabtcf.decoder.TCString;
import com.ott.contract.EventType;
import com.ott.rules.engine.FinalizingRule;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.RuleConfig;
import com.ott.rules.engine.RuleContext;
import com.ott.rules.engine.RuleEvent;
import com.ott.rules.engine.StateRecord;
import com.ott.rules.engine.Subject;
import com.ott.rules.reference.Account;
import com.ott.rules.reference.Countries;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * consent_violation: personal identifiers sent to a third party (tracking.beacon, ad.impression)
 * while the account's consent in force at that event time denies it. Where GDPR applies (the
 * consent says so, else the account resides in the EU/EEA): no consent record yet, or a TC
 * string without purpose 1, the vendor, or the purposes of the request (personalised ads 3
 * and 4, basic ads 2, measurement 7 or 8). Anywhere: a US Privacy string opting out of sale
 * ({@code 1?Y?}) or Global Privacy Control on. Consent updates merge field by field, the latest
 * by event time winning. Because a consent update may arrive after the beacon it governs, each
 * beacon is decided once its event time is final (see {@link FinalizingRule}).
 */
public final class ConsentViolationRule implements FinalizingRule {
  public static final String ID = "consent_violation";
  private static final long DAY = 86_400_000L;
  // TCF asks CMPs to renew consent at least every 13 months; an older record is not kept
  private static final long RECORD_TTL = 400 * DAY;
  private static final List<String> FIELDS = List.of("gdprApplies", "tcf", "usPrivacy", "gpc");
  private static final int MAX_PENDING = 5_000;

  enum Purpose { MEASUREMENT, PERSONALIZED_AD, BASIC_AD }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String timerPrefix() {
    return "cn";
  }

  @Override
  public boolean handles(EventType type) {
    return type == EventType.CONSENT_UPDATE || type == EventType.TRACKING_BEACON || type == EventType.AD_IMPRESSION;
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
    if (e.account() == null) {
      return;
    }
    String key = key(e.account());
    if (e.type() == EventType.CONSENT_UPDATE) {
      if (e.consent() == null) {
        return;
      }
      History h = ctx.state().get(key, History::from);
      if (h.add(new Update(e.time(), e.eventId(), e.consent()))) {
        ctx.state().put(key, h, RECORD_TTL);
      }
      return;
    }
    if (!e.is(e.personalIds()) || e.thirdParty() == null) {
      return;
    }
    Purpose purpose = e.type() == EventType.TRACKING_BEACON ? Purpose.MEASUREMENT
        : e.is(e.adPersonalized()) ? Purpose.PERSONALIZED_AD : Purpose.BASIC_AD;
    Check check = new Check(e.time(), e.eventId(), purpose, e.thirdParty());
    History h = ctx.state().get(key, History::from);
    if (e.time() <= h.finalized) {
      // too late to wait for: decide with what is known
      decide(e.account(), check, h, ctx, out);
      return;
    }
    for (Check c : h.pending) {
      if (c.eventId.equals(check.eventId)) {
        return;
      }
    }
    if (h.pending.size() < MAX_PENDING) {
      h.pending.add(check);
      ctx.state().put(key, h, RECORD_TTL);
    }
  }

  @Override
  public void finalizeUpTo(String account, long watermark, RuleContext ctx, List<Finding> out) {
    String key = key(account);
    History h = ctx.state().get(key, History::from);
    if (h.isEmpty()) {
      return;
    }
    boolean changed = false;
    if (watermark > h.finalized) {
      h.pending.sort((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : a.eventId.compareTo(b.eventId));
      List<Check> later = new ArrayList<>();
      for (Check c : h.pending) {
        if (c.time <= watermark) {
          decide(account, c, h, ctx, out);
        } else {
          later.add(c);
        }
      }
      h.pending.clear();
      h.pending.addAll(later);
      h.foldUpTo(watermark);
      h.finalized = watermark;
      changed = true;
    }
    long next = h.pending.stream().mapToLong(c -> c.time).min().orElse(Long.MAX_VALUE);
    long due = next == Long.MAX_VALUE ? -1 : next + ctx.settings().allowedLatenessMillis();
    if (due != h.timer) {
      if (due < 0) {
        ctx.state().clearTimer(timerPrefix() + "|" + account);
      } else {
        ctx.state().setTimer(timerPrefix() + "|" + account, due);
      }
      h.timer = due;
      changed = true;
    }
    if (changed) {
      ctx.state().put(key, h, RECORD_TTL);
    }
  }

  private void decide(String account, Check c, History h, RuleContext ctx, List<Finding> out) {
    RuleConfig cfg = ctx.config(ID);
    Map<String, Object> consent = h.consentAt(c.time);
    Account ref = ctx.reference().account(account);
    Object applies = consent.get("gdprApplies");
    boolean gdpr = applies instanceof Boolean b ? b : ref != null && Countries.isEuEea(ref.residence());
    List<String> reasons = new ArrayList<>();
    List<Integer> missing = new ArrayList<>();
    if (gdpr) {
      if (!h.recordedBy(c.time)) {
        reasons.add("no consent record");
      } else if (!(consent.get("tcf") instanceof String tc)) {
        reasons.add("no TC string");
      } else {
        Optional<TCString> decoded = TcStrings.decode(tc);
        if (decoded.isEmpty()) {
          reasons.add("TC string cannot be decoded");
        } else {
          TCString s = decoded.get();
          if (!s.getPurposesConsent().contains(1)) {
            reasons.add("no consent to purpose 1 (store or access information on a device)");
          }
          Integer vendor = vendorId(c.thirdParty, cfg);
          if (vendor == null || !s.getVendorConsent().contains(vendor)) {
            reasons.add("no consent for vendor " + c.thirdParty);
          }
          if (c.purpose == Purpose.MEASUREMENT) {
            List<Integer> anyOf = cfg.integers("measurementPurposes");
            if (anyOf.stream().noneMatch(p -> s.getPurposesConsent().contains(p))) {
              missing.addAll(anyOf);
              reasons.add("no consent to measurement (purpose " + join(anyOf, " or ") + ")");
            }
          } else {
            List<Integer> allOf = cfg.integers(c.purpose == Purpose.PERSONALIZED_AD
                ? "personalizedAdPurposes" : "basicAdPurposes");
            for (int p : allOf) {
              if (!s.getPurposesConsent().contains(p)) {
                missing.add(p);
              }
            }
            if (!missing.isEmpty()) {
              reasons.add("no consent to purpose " + join(missing, " and ") + " ("
                  + (c.purpose == Purpose.PERSONALIZED_AD ? "personalised" : "basic") + " ads)");
            }
          }
        }
      }
    }
    if (consent.get("usPrivacy") instanceof String usp && usp.length() == 4
        && Character.toUpperCase(usp.charAt(2)) == 'Y') {
      reasons.add("US Privacy string opts out of sale");
    }
    if (Boolean.TRUE.equals(consent.get("gpc"))) {
      reasons.add("Global Privacy Control is on");
    }
    if (reasons.isEmpty()) {
      return;
    }
    JsonObject evidence = new JsonObject().put("thirdParty", c.thirdParty).put("purpose", c.purpose.name())
        .put("gdprApplies", gdpr).put("reasons", new JsonArray(reasons));
    if (!missing.isEmpty()) {
      evidence.put("missingPurposes", new JsonArray(missing));
    }
    String what = c.purpose == Purpose.MEASUREMENT ? "a tracking beacon" : "an ad request";
    out.add(ctx.finding(ID, cfg.severity(), Subject.account(account), c.eventId, c.time, ctx.window(ID, c.time),
        evidence, "Personal identifiers were sent to third party " + c.thirdParty + " in " + what
            + " although the consent in force did not allow it: " + String.join("; ", reasons) + "."));
  }

  private static Integer vendorId(String thirdParty, RuleConfig cfg) {
    if (!thirdParty.isEmpty() && thirdParty.length() <= 5 && thirdParty.chars().allMatch(Character::isDigit)) {
      return Integer.parseInt(thirdParty);
    }
    Object mapped = cfg.object("vendorIds").getValue(thirdParty);
    return mapped instanceof Number n ? n.intValue() : null;
  }

  private static String join(List<Integer> values, String sep) {
    return String.join(sep, values.stream().map(String::valueOf).toList());
  }

  private static String key(String account) {
    return "cn:" + account;
  }

  record Update(long time, String eventId, JsonObject consent) {}

  record Check(long time, String eventId, Purpose purpose, String thirdParty) {}

  /** The consent history of an account: fields in force up to {@code finalized}, updates and checks after it. */
  static final class History implements StateRecord {
    long finalized = Long.MIN_VALUE;
    long timer = -1;
    long firstUpdate = Long.MAX_VALUE;
    // field -> [value, time of the update that set it]
    final Map<String, Object[]> base = new HashMap<>();
    final List<Update> updates = new ArrayList<>();
    final List<Check> pending = new ArrayList<>();

    boolean recordedBy(long t) {
      return firstUpdate <= t;
    }

    /** Adds an update; false when it was already known. */
    boolean add(Update u) {
      for (Update known : updates) {
        if (known.eventId.equals(u.eventId)) {
          return false;
        }
      }
      firstUpdate = Math.min(firstUpdate, u.time);
      if (u.time <= finalized) {
        merge(base, u);
      } else {
        updates.add(u);
        updates.sort((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : a.eventId.compareTo(b.eventId));
      }
      return true;
    }

    Map<String, Object> consentAt(long t) {
      Map<String, Object[]> fields = new HashMap<>(base);
      for (Update u : updates) {
        if (u.time <= t) {
          merge(fields, u);
        }
      }
      Map<String, Object> out = new HashMap<>();
      fields.forEach((k, v) -> out.put(k, v[0]));
      return out;
    }

    void foldUpTo(long t) {
      updates.removeIf(u -> {
        if (u.time <= t) {
          merge(base, u);
          return true;
        }
        return false;
      });
    }

    private static void merge(Map<String, Object[]> fields, Update u) {
      for (String f : FIELDS) {
        if (u.consent.containsKey(f)) {
          Object[] current = fields.get(f);
          if (current == null || (long) current[1] <= u.time) {
            fields.put(f, new Object[] {u.consent.getValue(f), u.time});
          }
        }
      }
    }

    static History from(JsonObject json) {
      History h = new History();
      if (json != null) {
        h.finalized = json.getLong("f", Long.MIN_VALUE);
        h.timer = json.getLong("t", -1L);
        h.firstUpdate = json.getLong("u0", Long.MAX_VALUE);
        JsonObject b = json.getJsonObject("b", new JsonObject());
        for (String f : b.fieldNames()) {
          JsonArray a = b.getJsonArray(f);
          h.base.put(f, new Object[] {a.getValue(0), a.getLong(1)});
        }
        for (Object o : json.getJsonArray("u", new JsonArray())) {
          JsonArray a = (JsonArray) o;
          h.updates.add(new Update(a.getLong(0), a.getString(1), a.getJsonObject(2)));
        }
        for (Object o : json.getJsonArray("q", new JsonArray())) {
          JsonArray a = (JsonArray) o;
          h.pending.add(new Check(a.getLong(0), a.getString(1), Purpose.valueOf(a.getString(2)), a.getString(3)));
        }
      }
      return h;
    }

    @Override
    public JsonObject toJson() {
      JsonObject b = new JsonObject();
      base.forEach((f, v) -> b.put(f, new JsonArray().add(v[0]).add(v[1])));
      JsonArray u = new JsonArray();
      updates.forEach(x -> u.add(new JsonArray().add(x.time).add(x.eventId).add(x.consent)));
      JsonArray q = new JsonArray();
      pending.forEach(c -> q.add(new JsonArray().add(c.time).add(c.eventId).add(c.purpose.name()).add(c.thirdParty)));
      JsonObject json = new JsonObject().put("f", finalized).put("t", timer).put("b", b).put("u", u).put("q", q);
      if (firstUpdate != Long.MAX_VALUE) {
        json.put("u0", firstUpdate);
      }
      return json;
    }

    @Override
    public boolean isEmpty() {
      return firstUpdate == Long.MAX_VALUE && pending.isEmpty() && timer < 0;
    }
  }
}
