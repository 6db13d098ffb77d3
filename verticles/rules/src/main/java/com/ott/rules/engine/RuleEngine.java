package com.ott.rules.engine;

import com.ott.rules.captions.CaptionsMissingRule;
import com.ott.rules.concurrency.ConcurrentStreamsRule;
import com.ott.rules.consent.ConsentViolationRule;
import com.ott.rules.geo.GeoRestrictionRule;
import com.ott.rules.kidsads.KidsAdMinutesRule;
import com.ott.rules.kidsads.KidsTargetedAdRule;
import com.ott.rules.license.LicenseWindowRule;
import com.ott.rules.parental.ParentalRatingRule;
import com.ott.rules.reference.ReferenceData;
import com.ott.rules.sharing.CredentialSharingRule;
import com.ott.rules.travel.ImpossibleTravelRule;
import com.ott.rules.vpn.VpnPlaybackRule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates batches of (validated, pseudonymised) events of a tenant against the rules.
 *
 * <p>Per batch: one round trip for the reference data and settings overrides, one for the
 * state records of every rule and subject in the batch, one to write back what changed. Events
 * are applied in event-time order; each account's newest event time (its high-water mark) is
 * kept in state, events older than it by more than the allowed lateness are counted as late
 * but still evaluated. Calls for the same tenant are serialised; a tenant must be evaluated by
 * one engine at a time (route tenants, or accounts, to one instance).
 */
public final class RuleEngine {
  private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);
  // an account's high-water mark lives as long as the longest rule state (credential_sharing: 31 days)
  private static final long CLOCK_TTL_MILLIS = 33L * 24 * 3600 * 1000;
  private static final int TIMER_PAGE = 1000;
  private static final Comparator<RuleEvent> EVENT_TIME =
      Comparator.comparingLong(RuleEvent::time).thenComparing(RuleEvent::eventId);

  private final ReferenceData reference;
  private final RuleState state;
  private final RuleSettings defaults;
  private final List<Rule> rules;
  private final List<FinalizingRule> finalizing;
  private final Map<String, FinalizingRule> byTimerPrefix = new HashMap<>();
  private final EngineCounters counters = new EngineCounters();
  private final Map<String, Future<?>> tails = new HashMap<>();
  private final Map<String, CachedSettings> settingsCache = new ConcurrentHashMap<>();

  private record CachedSettings(String overrides, RuleSettings settings) {}

  public RuleEngine(ReferenceData reference, RuleState state, RuleSettings defaults) {
    this(reference, state, defaults, allRules());
  }

  public RuleEngine(ReferenceData reference, RuleState state, RuleSettings defaults, List<Rule> rules) {
    this.reference = reference;
    this.state = state;
    this.defaults = defaults;
    this.rules = List.copyOf(rules);
    List<FinalizingRule> f = new ArrayList<>();
    for (Rule rule : rules) {
      defaults.rule(rule.id());
      if (rule instanceof FinalizingRule fr) {
        f.add(fr);
        byTimerPrefix.put(fr.timerPrefix(), fr);
      }
    }
    this.finalizing = List.copyOf(f);
  }

  /** The eleven rules of DOMAIN.md. */
  public static List<Rule> allRules() {
    return List.of(new GeoRestrictionRule(), new LicenseWindowRule(), new ConcurrentStreamsRule(),
        new CredentialSharingRule(), new ImpossibleTravelRule(), new VpnPlaybackRule(), new ParentalRatingRule(),
        new KidsAdMinutesRule(), new KidsTargetedAdRule(), new ConsentViolationRule(), new CaptionsMissingRule());
  }

  public EngineCounters counters() {
    return counters;
  }

  /** The findings of a batch of events of one tenant, in the order the rules found them (event time). */
  public Future<List<Finding>> evaluate(String tenantId, List<JsonObject> events) {
    return serialised(tenantId, () -> run(tenantId, events));
  }

  /**
   * Takes the pending decisions of every account of the tenant as if each had seen events up to
   * {@code eventTime}: for accounts that went quiet. A verticle calls it periodically with
   * processing time minus a grace period, a test with a time after its last event.
   */
  public Future<List<Finding>> advanceWatermark(String tenantId, Instant eventTime) {
    return serialised(tenantId, () -> advance(tenantId, eventTime.toEpochMilli(), new ArrayList<>(), 0));
  }

  /** The tenant's effective settings (defaults merged with its overrides). */
  public Future<RuleSettings> settings(String tenantId) {
    return reference.ruleOverrides(tenantId).map(o -> settingsFor(tenantId, o));
  }

  private <T> Future<T> serialised(String tenantId, Supplier<Future<T>> work) {
    Future<T> result;
    synchronized (tails) {
      Future<?> tail = tails.get(tenantId);
      result = tail == null ? guarded(work) : tail.eventually(() -> Future.succeededFuture()).compose(v -> guarded(work));
      tails.put(tenantId, result);
    }
    result.onComplete(ar -> {
      synchronized (tails) {
        if (tails.get(tenantId) == result) {
          tails.remove(tenantId);
        }
      }
    });
    return result;
  }

  private static <T> Future<T> guarded(Supplier<Future<T>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<List<Finding>> run(String tenantId, List<JsonObject> raw) {
    List<RuleEvent> events = new ArrayList<>(raw.size());
    for (JsonObject json : raw) {
      RuleEvent e = RuleEvent.from(json);
      if (e == null) {
        counters.unparseable();
      } else {
        events.add(e);
      }
    }
    if (events.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    events.sort(EVENT_TIME);
    Set<String> contents = new LinkedHashSet<>();
    Set<String> accounts = new LinkedHashSet<>();
    for (RuleEvent e : events) {
      if (e.content() != null) {
        contents.add(e.content());
      }
      if (e.account() != null) {
        accounts.add(e.account());
      }
    }
    return reference.snapshot(tenantId, contents, accounts).compose(ref -> {
      RuleSettings settings = settingsFor(tenantId, ref.ruleOverrides());
      List<Rule> active = rules.stream().filter(r -> settings.rule(r.id()).enabled()).toList();
      List<FinalizingRule> activeFinalizing = finalizing.stream().filter(active::contains).toList();
      RuleContext ctx = new RuleContext(tenantId, settings, ref, null);
      Set<String> keys = new LinkedHashSet<>();
      for (String account : accounts) {
        keys.add(clockKey(account));
        for (FinalizingRule rule : activeFinalizing) {
          rule.finalizationKeys(account, ctx, keys::add);
        }
      }
      for (RuleEvent e : events) {
        for (Rule rule : active) {
          if (rule.handles(e.type())) {
            rule.stateKeys(e, ctx, keys::add);
          }
        }
      }
      return state.getAll(tenantId, keys).compose(loaded -> {
        WorkingState working = new WorkingState(loaded);
        ctx.state(working);
        List<Finding> out = new ArrayList<>();
        Map<String, long[]> clocks = new LinkedHashMap<>();
        long lateness = settings.allowedLatenessMillis();
        for (RuleEvent e : events) {
          counters.event();
          if (e.account() != null) {
            long[] clock = clocks.computeIfAbsent(e.account(), a -> new long[] {parseClock(working.raw(clockKey(a)))});
            if (clock[0] != Long.MIN_VALUE && e.time() < clock[0] - lateness) {
              counters.late();
            }
            clock[0] = Math.max(clock[0], e.time());
          }
          for (Rule rule : active) {
            if (rule.handles(e.type())) {
              rule.evaluate(e, ctx, out);
            }
          }
        }
        clocks.forEach((account, clock) -> {
          working.putRaw(clockKey(account), Long.toString(clock[0]), CLOCK_TTL_MILLIS);
          for (FinalizingRule rule : activeFinalizing) {
            rule.finalizeUpTo(account, clock[0] - lateness, ctx, out);
          }
        });
        out.forEach(f -> counters.finding(f.ruleId()));
        return state.apply(tenantId, working.changes()).map(v -> out);
      });
    });
  }

  private Future<List<Finding>> advance(String tenantId, long upTo, List<Finding> out, int pages) {
    return state.dueTimers(tenantId, upTo, TIMER_PAGE).compose(members -> {
      if (members.isEmpty()) {
        return Future.succeededFuture(out);
      }
      Map<String, Set<FinalizingRule>> byAccount = new LinkedHashMap<>();
      for (String member : members) {
        int bar = member.indexOf('|');
        FinalizingRule rule = bar < 0 ? null : byTimerPrefix.get(member.substring(0, bar));
        if (rule != null) {
          byAccount.computeIfAbsent(member.substring(bar + 1), a -> new LinkedHashSet<>()).add(rule);
        }
      }
      return reference.snapshot(tenantId, List.of(), byAccount.keySet()).compose(ref -> {
        RuleSettings settings = settingsFor(tenantId, ref.ruleOverrides());
        RuleContext ctx = new RuleContext(tenantId, settings, ref, null);
        long watermark = upTo - settings.allowedLatenessMillis();
        Set<String> keys = new LinkedHashSet<>();
        byAccount.forEach((account, due) -> due.forEach(r -> r.finalizationKeys(account, ctx, keys::add)));
        return state.getAll(tenantId, keys).compose(loaded -> {
          WorkingState working = new WorkingState(loaded);
          ctx.state(working);
          List<Finding> found = new ArrayList<>();
          byAccount.forEach((account, due) -> {
            for (FinalizingRule rule : due) {
              if (settings.rule(rule.id()).enabled()) {
                rule.finalizeUpTo(account, watermark, ctx, found);
              } else {
                working.clearTimer(rule.timerPrefix() + "|" + account);
              }
            }
          });
          // a timer member of an unknown rule would come back forever
          for (String member : members) {
            int bar = member.indexOf('|');
            if (bar < 0 || !byTimerPrefix.containsKey(member.substring(0, bar))) {
              working.clearTimer(member);
            }
          }
          found.forEach(f -> counters.finding(f.ruleId()));
          out.addAll(found);
          return state.apply(tenantId, working.changes()).compose(v -> {
            if (members.size() < TIMER_PAGE) {
              return Future.succeededFuture(out);
            }
            if (pages > 100_000) {
              LOG.warn("tenant {}: timers keep coming due at {}; stopping", tenantId, upTo);
              return Future.succeededFuture(out);
            }
            return advance(tenantId, upTo, out, pages + 1);
          });
        });
      });
    });
  }

  private RuleSettings settingsFor(String tenantId, JsonObject overrides) {
    if (overrides == null || overrides.isEmpty()) {
      return defaults;
    }
    String key = overrides.encode();
    CachedSettings cached = settingsCache.get(tenantId);
    if (cached != null && cached.overrides.equals(key)) {
      return cached.settings;
    }
    RuleSettings settings;
    try {
      settings = defaults.withOverrides(overrides);
    } catch (InvalidSettingsException e) {
      // overrides are validated when they are put; a stored invalid document must not stop evaluation
      LOG.warn("tenant {}: invalid rule settings ignored: {}", tenantId, e.errors());
      settings = defaults;
    }
    settingsCache.put(tenantId, new CachedSettings(key, settings));
    return settings;
  }

  static String clockKey(String account) {
    return "clk:" + account;
  }

  private static long parseClock(String raw) {
    if (raw == null) {
      return Long.MIN_VALUE;
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  /** The reference data the engine reads (the lead's PUT endpoints write through it). */
  public ReferenceData referenceData() {
    return reference;
  }
}
