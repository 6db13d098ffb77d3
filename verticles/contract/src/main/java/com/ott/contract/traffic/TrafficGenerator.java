package com.ott.contract.traffic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Deterministic synthetic OTT telemetry: raw schema-v2 events as player SDKs send them (clear
 * account, device and IP), for a population of accounts, devices and titles, in roughly
 * increasing event time with out-of-order jitter of up to {@link TrafficOptions#maxJitterSeconds()}.
 *
 * <p>Ordinary traffic never violates a rule: sessions stay within the account's stream limit,
 * titles are licensed and available where and when they are played, SDKs honour the consent in
 * force. Violations of each rule are injected at the configured rates, alongside near misses
 * that must not be reported (a stop just before a new stream, travel slow enough, ad minutes
 * exactly at the limit, consent granted seconds before a beacon that arrives first). The same
 * seed, start and options give the same events.
 *
 * <p>{@link #catalog()} and {@link #accounts()} are the reference data in the body format of
 * {@code PUT /api/v2/catalog} and {@code PUT /api/v2/accounts}; {@link #groundTruth()} lists
 * the findings the rules must produce with their default settings, complete once
 * {@link #drain()} has returned.
 */
public final class TrafficGenerator {
  private static final long SEC = 1000;
  private static final long MIN = 60 * SEC;
  private static final long HOUR = 60 * MIN;
  private static final long DAY = 24 * HOUR;

  private static final String[][] TIER_RATINGS = {
      {"G", "TV-Y", "TV-G"}, {"PG", "TV-Y7", "TV-Y7-FV", "TV-PG"}, {"PG-13", "TV-14"}, {"R", "NC-17", "TV-MA", "NR", "UR"}};
  private static final String[] TIERS = {"LITTLE_KIDS", "OLDER_KIDS", "TEENS", "ADULTS"};
  static final Set<String> EU_EEA = Set.of("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR",
      "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO");
  private static final String[] RESIDENCES = {"US", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "PL", "IE", "AT",
      "BE", "PT", "DK", "FI", "NO", "CA", "BR", "MX", "JP", "AU", "IN"};
  private static final int[] RESIDENCE_WEIGHTS = {25, 8, 8, 7, 5, 5, 3, 2, 3, 1, 2, 2, 1, 1, 1, 1, 5, 6, 4, 4, 3, 3};
  private static final String[][] REGIONS = {{"US", "CA"}, {"US"}, {"GB", "IE"}, {"DE", "AT", "CH"},
      {"FR", "BE", "LU", "MC"}, {"ES", "PT"}, {"IT", "SM", "VA"}, {"NL", "BE"}, {"SE", "NO", "DK", "FI", "IS"},
      {"JP"}, {"BR"}, {"MX", "AR", "CO", "CL"}, {"AU", "NZ"}, {"IN"}, {"PL", "CZ", "SK"}, {"CA"}};
  private static final String[] SCENARIO_RESIDENCES = {"DE", "US", "FR", "JP", "ES", "BR", "IT", "AU", "NL", "CA",
      "PL", "IN", "SE", "MX", "GB"};
  // capitals more than 5,000 km apart: one hour between them is far beyond 1,000 km/h
  private static final Map<String, String> FAR = Map.ofEntries(Map.entry("US", "JP"), Map.entry("GB", "AU"),
      Map.entry("DE", "BR"), Map.entry("FR", "JP"), Map.entry("ES", "US"), Map.entry("IT", "IN"),
      Map.entry("NL", "MX"), Map.entry("JP", "GB"), Map.entry("BR", "DE"), Map.entry("AU", "US"),
      Map.entry("CA", "IN"), Map.entry("IN", "CA"), Map.entry("PL", "US"), Map.entry("SE", "AU"),
      Map.entry("MX", "ES"));
  private static final String[] EU_TRAVEL = {"FR", "DE", "ES", "IT", "NL", "AT", "PT"};
  private static final int[] MEASUREMENT_VENDORS = {755, 32, 77, 10, 52};
  private static final int[] AD_VENDORS = {755, 91, 76, 25, 69};
  private static final Set<Integer> ALL_VENDORS;
  private static final Set<Integer> ALL_PURPOSES = Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
  private static final Set<Integer> NO_ADS_PERSONALISATION = Set.of(1, 2, 7, 9, 10);

  static {
    Set<Integer> v = new TreeSet<>();
    for (int id : MEASUREMENT_VENDORS) {
      v.add(id);
    }
    for (int id : AD_VENDORS) {
      v.add(id);
    }
    ALL_VENDORS = Collections.unmodifiableSet(v);
  }

  private enum Use { MEASUREMENT, PERSONALIZED_AD, BASIC_AD }

  private enum Mode { NORMAL, GEO, LICENSE_START, LICENSE_HEARTBEAT, CAPTIONS, VPN, PARENTAL, KIDS_TARGETED, KIDS_ADS }

  private final TrafficOptions options;
  private final SplittableRandom rnd;
  private final long start;
  private final long heartbeat;
  private final List<Title> titles = new ArrayList<>();
  private final List<Title> expiring = new ArrayList<>();
  private final List<Title> upcoming = new ArrayList<>();
  private final List<List<Title>> safe = new ArrayList<>();
  private final List<Title> safeBlocking = new ArrayList<>();
  private final Map<String, Title> homeOnly = new HashMap<>();
  private final List<Account> ordinary = new ArrayList<>();
  private final List<Account> pool = new ArrayList<>();
  private final int residenceWeightSum;
  private int poolCursor;

  private final PriorityQueue<Action> sim = new PriorityQueue<>();
  private final PriorityQueue<Pending> out = new PriorityQueue<>();
  private long seq;
  private long now;
  private boolean draining;
  private long emitted;
  private long sessions;

  private final List<ExpectedFinding> truth = new ArrayList<>();
  private final Map<String, List<long[]>> vpnStarts = new LinkedHashMap<>();
  private final Map<String, Map<Long, Double>> kidsAdSeconds = new LinkedHashMap<>();

  public TrafficGenerator(long seed, Instant start, TrafficOptions options) {
    this.options = options;
    this.rnd = new SplittableRandom(seed);
    this.start = start.toEpochMilli() / 10 * 10;
    this.heartbeat = options.heartbeatIntervalSeconds() * SEC;
    int w = 0;
    for (int x : RESIDENCE_WEIGHTS) {
      w += x;
    }
    this.residenceWeightSum = w;
    buildCatalogue();
    for (int i = 0; i < options.accounts(); i++) {
      ordinary.add(ordinaryAccount(i));
    }
    for (int i = 0; i < options.scenarioAccounts(); i++) {
      pool.add(scenarioAccount(i));
    }
    schedule(this.start, this::arrival);
  }

  // ---------------------------------------------------------------- public API

  /** The next event in emission order. */
  public JsonObject next() {
    while (true) {
      Pending head = out.peek();
      Action action = sim.peek();
      if (head != null && (action == null || head.key <= action.time)) {
        out.poll();
        emitted++;
        return head.event;
      }
      if (action == null) {
        return null;
      }
      sim.poll();
      now = action.time;
      action.run.run();
    }
  }

  /** The next {@code n} events. */
  public List<JsonObject> next(int n) {
    List<JsonObject> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      JsonObject e = next();
      if (e == null) {
        break;
      }
      list.add(e);
    }
    return list;
  }

  /** Every event due for emission at or before {@code time}: for pacing a live stream to the wall clock. */
  public List<JsonObject> until(Instant time) {
    long t = time.toEpochMilli();
    List<JsonObject> list = new ArrayList<>();
    while (true) {
      Pending head = out.peek();
      Action action = sim.peek();
      if (head != null && head.key <= t && (action == null || head.key <= action.time)) {
        out.poll();
        emitted++;
        list.add(head.event);
      } else if (action != null && action.time <= t) {
        sim.poll();
        now = action.time;
        action.run.run();
      } else {
        return list;
      }
    }
  }

  /** Stops starting new activity and returns every remaining event: started sessions and patterns complete. */
  public List<JsonObject> drain() {
    draining = true;
    List<JsonObject> list = new ArrayList<>();
    for (JsonObject e = next(); e != null; e = next()) {
      list.add(e);
    }
    return list;
  }

  /** Events emitted so far. */
  public long emitted() {
    return emitted;
  }

  /** Playback sessions started so far. */
  public long sessions() {
    return sessions;
  }

  /** The catalogue, as the body of {@code PUT /api/v2/catalog}. */
  public JsonArray catalog() {
    JsonArray array = new JsonArray();
    titles.forEach(t -> array.add(t.toJson()));
    return array;
  }

  /** Every account (ordinary and reserved for patterns), as the body of {@code PUT /api/v2/accounts}. */
  public JsonArray accounts() {
    JsonArray array = new JsonArray();
    ordinary.forEach(a -> array.add(a.toJson()));
    pool.forEach(a -> array.add(a.toJson()));
    return array;
  }

  /** The findings the rules must produce for the events generated so far (complete after {@link #drain()}). */
  public List<ExpectedFinding> groundTruth() {
    List<ExpectedFinding> all = new ArrayList<>(truth);
    long window = 24 * HOUR;
    vpnStarts.forEach((account, starts) -> {
      List<long[]> sorted = new ArrayList<>(starts);
      sorted.sort((a, b) -> Long.compare(a[0], b[0]));
      for (long[] s : sorted) {
        int n = 0;
        for (long[] o : sorted) {
          if (o[0] <= s[0] && o[0] > s[0] - window) {
            n++;
          }
        }
        all.add(new ExpectedFinding("vpn_playback", n >= 3 ? "HIGH" : "MEDIUM", account, null, null,
            Instant.ofEpochMilli(s[0])));
      }
    });
    kidsAdSeconds.forEach((account, hours) -> hours.forEach((hour, seconds) -> {
      if (seconds > kidsAdLimit(hour)) {
        all.add(new ExpectedFinding("kids_ad_minutes", "MEDIUM", account, null, null, Instant.ofEpochMilli(hour)));
      }
    }));
    return all;
  }

  // ---------------------------------------------------------------- simulation

  private record Action(long time, long seq, Runnable run) implements Comparable<Action> {
    @Override
    public int compareTo(Action o) {
      return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
    }
  }

  private record Pending(long key, long seq, JsonObject event) implements Comparable<Pending> {
    @Override
    public int compareTo(Pending o) {
      return key != o.key ? Long.compare(key, o.key) : Long.compare(seq, o.seq);
    }
  }

  private void schedule(long time, Runnable run) {
    sim.add(new Action(time, seq++, run));
  }

  /** Queues an event created at sim time {@code now} for emission, jittered. */
  private void emit(JsonObject event, long occurredAt, long now) {
    long jitter;
    long max = options.maxJitterSeconds() * SEC;
    // most events arrive almost in order; a fifth are held back up to the maximum jitter
    if (rnd.nextInt(5) == 0) {
      jitter = max == 0 ? 0 : rnd.nextLong(max + 1);
    } else {
      jitter = rnd.nextLong(Math.min(max, SEC) + 1);
    }
    out.add(new Pending(Math.max(occurredAt, now) + jitter, seq++, event));
  }

  private void arrival() {
    if (draining) {
      return;
    }
    double perMs = options.accounts() * options.sessionsPerAccountPerDay() / DAY;
    long gap = Math.max(10, Math.round(-Math.log(1 - rnd.nextDouble()) / perMs / 10) * 10);
    schedule(now + gap, this::arrival);
    double r = rnd.nextDouble();
    double acc = 0;
    for (String rule : TrafficOptions.RULES) {
      acc += options.violationRate(rule);
      if (r < acc) {
        inject(rule, now);
        return;
      }
    }
    acc += options.controlRate();
    if (r < acc) {
      control(now);
      return;
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      if (ordinarySession(randomOrdinary(), now + 3 * SEC, Mode.NORMAL)) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- injections

  private void inject(String rule, long now) {
    long t0 = now + 3 * SEC;
    switch (rule) {
      case "geo_restriction" -> {
        if (rnd.nextInt(10) < 3 && geoAbroad(t0)) {
          return;
        }
        tryOrdinary(t0, Mode.GEO);
      }
      case "license_window" -> tryOrdinary(t0, rnd.nextBoolean() ? Mode.LICENSE_START : Mode.LICENSE_HEARTBEAT);
      case "concurrent_streams" -> concurrentStreams(t0, false);
      case "credential_sharing" -> credentialSharing(t0, false);
      case "impossible_travel" -> travel(t0, HOUR);
      case "vpn_playback" -> {
        if (rnd.nextBoolean()) {
          vpnEscalation(t0);
        } else {
          tryOrdinary(t0, Mode.VPN);
        }
      }
      case "parental_rating" -> tryOrdinary(t0, Mode.PARENTAL);
      case "kids_ad_minutes" -> {
        if (options.backdateMultiDay()) {
          kidsAdFlood(t0);
        } else {
          tryOrdinary(t0, Mode.KIDS_ADS);
        }
      }
      case "kids_targeted_ad" -> tryOrdinary(t0, Mode.KIDS_TARGETED);
      case "consent_violation" -> {
        if (rnd.nextInt(4) == 0) {
          consentNoRecord(t0);
        } else {
          consentChangeThenBeacon(randomOrdinary(), now, false);
        }
      }
      case "captions_missing" -> tryOrdinary(t0, Mode.CAPTIONS);
      default -> throw new IllegalStateException(rule);
    }
  }

  private void control(long now) {
    long t0 = now + 3 * SEC;
    switch (rnd.nextInt(7)) {
      case 0 -> concurrentStreams(t0, true);
      case 1 -> credentialSharing(t0, true);
      case 2 -> travel(t0, 25 * HOUR);
      case 3 -> portability(t0);
      case 4 -> kidsAdsAtLimit(t0);
      case 5 -> consentChangeThenBeacon(randomOrdinary(), now, true);
      default -> tryOrdinary(t0, Mode.NORMAL);
    }
  }

  private void tryOrdinary(long t0, Mode mode) {
    for (int attempt = 0; attempt < 20; attempt++) {
      if (ordinarySession(randomOrdinary(), t0, mode)) {
        return;
      }
    }
  }

  /** m + 1 sessions on distinct devices overlap (violation), or a stop and a timeout free the slots just in time. */
  private void concurrentStreams(long t0, boolean nearMiss) {
    Account a = allocate(x -> true);
    int m = a.maxStreams;
    Title title = safeTitle(3);
    Profile p = a.profiles.get(0);
    if (!nearMiss) {
      for (int k = 0; k <= m; k++) {
        playback(a, a.device(k), p, title, t0 + k * 20 * SEC, 8 * MIN, true, a.residence, a.homeNet, Flags.NONE);
      }
      truth("concurrent_streams", "MEDIUM", a.id, null, null, t0 + m * 20 * SEC);
      return;
    }
    for (int k = 0; k < m; k++) {
      // session 1 ends without a stop: it stays live for 3 heartbeat intervals after its last heartbeat
      long duration = k == 0 ? 5 * MIN : k == 1 ? 6 * MIN + 10 * SEC : 10 * MIN;
      playback(a, a.device(k), p, title, t0 + k * 20 * SEC, duration, k != 1, a.residence, a.homeNet, Flags.NONE);
    }
    // just after session 0 stopped
    playback(a, a.device(m), p, title, t0 + 5 * MIN + 10 * SEC, 10 * MIN, true, a.residence, a.homeNet, Flags.NONE);
    if (m >= 2) {
      long lastHeartbeat = t0 + 20 * SEC + (6 * MIN + 10 * SEC - 10 * SEC) / heartbeat * heartbeat;
      playback(a, a.device(m + 1), p, title, lastHeartbeat + 3 * heartbeat + 10 * SEC, 5 * MIN, true, a.residence,
          a.homeNet, Flags.NONE);
    }
  }

  /** Six devices (or four network prefixes) each on three days; the near miss has one device on two days only. */
  private void credentialSharing(long t0, boolean nearMiss) {
    Account a = allocate(x -> true);
    Title title = safeTitle(3);
    Profile p = a.profiles.get(0);
    boolean byNetwork = !nearMiss && rnd.nextBoolean();
    int perDay = byNetwork ? 4 : 6;
    List<String> nets = new ArrayList<>();
    for (int k = 0; k < perDay; k++) {
      nets.add(k == 0 ? a.homeNet : randomNet(a.v6));
    }
    Map<String, Set<Long>> deviceDays = new HashMap<>();
    Map<String, Set<Long>> netDays = new HashMap<>();
    // one session after the other (never concurrent); the demo packs them into minutes
    long spacing = options.backdateMultiDay() ? 40 * SEC : 4 * MIN;
    long length = options.backdateMultiDay() ? 30 * SEC : 2 * MIN;
    for (int j = 0; j < 3; j++) {
      long dayBase = options.backdateMultiDay() ? t0 - (2 - j) * DAY : t0 + j * DAY;
      for (int k = 0; k < perDay; k++) {
        if (nearMiss && k == perDay - 1 && j == 2) {
          continue;
        }
        Device d = a.device(byNetwork ? k % 2 : k);
        String net = byNetwork ? nets.get(k) : a.homeNet;
        long s = dayBase + k * spacing;
        long created = options.backdateMultiDay() ? t0 + k * spacing : s;
        playbackAt(a, d, p, title, s, length, true, a.residence, net, Flags.NONE, created);
        long day = localDay(s);
        deviceDays.computeIfAbsent(d.id, x -> new HashSet<>()).add(day);
        netDays.computeIfAbsent(net, x -> new HashSet<>()).add(day);
      }
    }
    Set<Long> active = new TreeSet<>();
    deviceDays.values().forEach(active::addAll);
    for (long day : active) {
      if (countSeen(deviceDays, day) > 5 || countSeen(netDays, day) > 3) {
        truth("credential_sharing", "LOW", a.id, null, null,
            LocalDate.ofEpochDay(day).atStartOfDay(options.zone()).toInstant().toEpochMilli());
      }
    }
  }

  private static int countSeen(Map<String, Set<Long>> seen, long day) {
    int n = 0;
    for (Set<Long> days : seen.values()) {
      long inWindow = days.stream().filter(d -> d <= day && d > day - 31).count();
      if (inWindow >= 3) {
        n++;
      }
    }
    return n;
  }

  /** Playback in the home country, then in a far country {@code gap} later (a violation when it is an hour). */
  private void travel(long t0, long gap) {
    Account a = allocate(x -> FAR.containsKey(x.residence));
    String far = FAR.get(a.residence);
    Title title = safeTitle(3);
    Profile p = a.profiles.get(0);
    long first = options.backdateMultiDay() ? t0 - gap : t0;
    playbackAt(a, a.device(0), p, title, first, 5 * MIN, true, a.residence, a.homeNet, Flags.NONE, t0);
    playback(a, a.device(0), p, title, first + gap, 5 * MIN, true, far, randomNet(false), Flags.NONE);
    if (gap < 5 * HOUR) {
      truth("impossible_travel", "MEDIUM", a.id, null, null, first + gap);
    }
  }

  /** An EU/EEA resident plays a title licensed only at home, at home and a day later in another EU country. */
  private void portability(long t0) {
    Account a = allocate(x -> EU_EEA.contains(x.residence));
    Title title = homeOnly.get(a.residence);
    String abroad = EU_TRAVEL[rnd.nextInt(EU_TRAVEL.length)];
    if (abroad.equals(a.residence)) {
      abroad = a.residence.equals("FR") ? "DE" : "FR";
    }
    Profile p = a.profiles.get(0);
    long first = options.backdateMultiDay() ? t0 - 25 * HOUR : t0;
    long second = options.backdateMultiDay() ? t0 : t0 + 25 * HOUR;
    playbackAt(a, a.device(0), p, title, first, 5 * MIN, true, a.residence, a.homeNet, Flags.NONE, t0);
    playback(a, a.device(0), p, title, second, 5 * MIN, true, abroad, randomNet(false), Flags.NONE);
  }

  /** A title licensed at home played in a far country (outside the EU portability rule): one session only. */
  private boolean geoAbroad(long t0) {
    Account a = allocate(x -> FAR.containsKey(x.residence));
    String far = FAR.get(a.residence);
    Profile p = a.profiles.get(0);
    for (int attempt = 0; attempt < 200; attempt++) {
      Title t = titles.get(rnd.nextInt(titles.size()));
      if (t.licensedIn(a.residence) && !t.licensedIn(far) && t.covers(t0, t0 + 15 * MIN) && t.tier <= p.tier) {
        playback(a, a.device(0), p, t, t0, 5 * MIN, true, far, randomNet(false), Flags.NONE);
        return true;
      }
    }
    return false;
  }

  /** Three sessions through a VPN on titles that block anonymisers within 2 h: the third is HIGH. */
  private void vpnEscalation(long t0) {
    Account a = allocate(x -> true);
    Profile p = a.profiles.get(0);
    for (int k = 0; k < 3; k++) {
      Title t = safeBlocking.get(rnd.nextInt(safeBlocking.size()));
      playback(a, a.device(0), p, t, t0 + k * 40 * MIN, 10 * MIN, true, a.residence, a.homeNet, Flags.VPN);
    }
  }

  /** An hour of kids content with ads every two minutes, its first 40 minutes in the past (demo). */
  private void kidsAdFlood(long t0) {
    Account a = allocate(x -> true);
    playbackAt(a, a.device(0), a.profiles.get(3), safeTitle(0), t0 - 40 * MIN, 60 * MIN, true, a.residence,
        a.homeNet, Flags.AD_FLOOD, t0);
  }

  /** Ads on kids content adding up to exactly the hour's limit: not a violation. */
  private void kidsAdsAtLimit(long t0) {
    Account a = allocate(x -> true);
    long hour = ZonedDateTime.ofInstant(Instant.ofEpochMilli(t0), options.zone()).truncatedTo(ChronoUnit.HOURS)
        .plusHours(1).toInstant().toEpochMilli();
    int ads = kidsAdLimit(hour) / 30;
    Title title = safeTitle(0);
    Profile p = a.profiles.get(3);
    long s = hour + 5 * MIN;
    Playback session = playbackAt(a, a.device(0), p, title, s, 50 * MIN, true, a.residence, a.homeNet, Flags.NONE,
        s);
    for (int i = 0; i < ads; i++) {
      long at = s + MIN + i * 90 * SEC;
      schedule(at, () -> session.ad(at, 30, false, false, AD_VENDORS[0]));
    }
  }

  /** A beacon from an EU/EEA resident that never gave consent. */
  private void consentNoRecord(long t0) {
    Account a = allocate(x -> EU_EEA.contains(x.residence));
    Profile p = a.profiles.get(0);
    Playback session = playback(a, a.device(0), p, safeTitle(3), t0, 3 * MIN, true, a.residence, a.homeNet,
        Flags.NONE);
    long at = t0 + 30 * SEC;
    schedule(at, () -> session.beacon(at, MEASUREMENT_VENDORS[rnd.nextInt(MEASUREMENT_VENDORS.length)], true));
  }

  /**
   * A consent update, then 3 s later a beacon with personal identifiers: a violation when the
   * update withdrew consent, a near miss when it granted it (the beacon often arrives first).
   */
  private void consentChangeThenBeacon(Account a, long now, boolean grant) {
    long update = now / 10 * 10 + 1005;
    long beaconAt = update + 2995;
    int vendor = MEASUREMENT_VENDORS[rnd.nextInt(MEASUREMENT_VENDORS.length)];
    schedule(update, () -> {
      boolean gdpr = a.consent.gdprApplies != null ? a.consent.gdprApplies : EU_EEA.contains(a.residence);
      JsonObject c = new JsonObject();
      Set<Integer> purposes = ALL_PURPOSES;
      Set<Integer> vendors = ALL_VENDORS;
      if (grant) {
        if (gdpr) {
          c.put("gdprApplies", true).put("tcf", TcStringEncoder.encode(Instant.ofEpochMilli(update), purposes, vendors));
        }
        if (a.consent.gpc != null || !gdpr) {
          c.put("gpc", false);
        }
        if (a.consent.usPrivacy != null || !gdpr) {
          c.put("usPrivacy", "1YNN");
        }
      } else if (gdpr) {
        purposes = Set.of(1, 2, 3, 4);
        Set<Integer> v = new TreeSet<>(ALL_VENDORS);
        v.remove(vendor);
        vendors = v;
        c.put("gdprApplies", true).put("tcf", TcStringEncoder.encode(Instant.ofEpochMilli(update), purposes, vendors));
      } else {
        c.put("gpc", true);
      }
      consentUpdate(a, update, c, purposes, vendors);
    });
    schedule(beaconAt, () -> {
      JsonObject e = event("tracking.beacon", beaconAt).put("accountId", a.id).put("deviceId", a.device(0).id)
          .put("thirdParty", Integer.toString(vendor)).put("personalIds", true).put("ip", address(a.homeNet));
      consentTruth(a, beaconAt, Use.MEASUREMENT, vendor, true);
      emit(e, beaconAt, beaconAt);
    });
  }

  // ---------------------------------------------------------------- ordinary sessions

  private boolean ordinarySession(Account a, long s, Mode mode) {
    long duration = sessionLength();
    List<Profile> candidates = new ArrayList<>(a.profiles);
    if (mode == Mode.PARENTAL) {
      candidates.removeIf(p -> p.tier == 3);
      if (candidates.isEmpty()) {
        return false;
      }
    }
    Profile p = candidates.get(rnd.nextInt(candidates.size()));
    Device d = freeDevice(a, s);
    if (d == null) {
      return false;
    }
    Title title = null;
    boolean pin = false;
    if (mode == Mode.LICENSE_HEARTBEAT) {
      for (Title t : expiring) {
        if (t.until > s + MIN && t.until < s + 3 * HOUR && t.licensedIn(a.residence) && t.tier <= p.tier) {
          title = t;
          duration = t.until - s + 5 * MIN;
          break;
        }
      }
    } else {
      for (int attempt = 0; attempt < 80 && title == null; attempt++) {
        Title t = pickTitle(mode);
        if (suits(t, a, p, s, s + duration, mode)) {
          title = t;
        } else if (mode == Mode.NORMAL && attempt > 40 && t.licensedIn(a.residence) && t.covers(s, s + duration + 5 * MIN)
            && rnd.nextInt(4) == 0) {
          // a parent lets a child watch an older title with the PIN
          title = t;
          pin = t.tier > p.tier;
        }
      }
    }
    if (title == null) {
      if (mode != Mode.NORMAL) {
        return false;
      }
      title = safeTitle(p.tier);
    }
    if (mode == Mode.KIDS_ADS) {
      duration = Math.max(duration, 60 * MIN);
    } else if (mode != Mode.NORMAL && mode != Mode.LICENSE_HEARTBEAT) {
      duration = Math.max(duration, 5 * MIN);
    }
    if (!a.consentStarted) {
      a.consentStarted = true;
      initialConsent(a, s - 3 * SEC + 1005);
    }
    int flags = Flags.ADS | Flags.BEACONS;
    if (pin) {
      flags |= Flags.PIN;
    }
    switch (mode) {
      case CAPTIONS -> flags |= Flags.NO_CAPTIONS;
      case VPN -> flags |= Flags.VPN;
      case KIDS_TARGETED -> flags |= Flags.TARGETED_AD;
      case KIDS_ADS -> flags |= Flags.AD_FLOOD;
      case PARENTAL -> flags |= rnd.nextInt(3) == 0 ? Flags.CLAIM_ADULT : 0;
      default -> { }
    }
    if (mode == Mode.NORMAL && !title.blockAnonymizers && rnd.nextInt(20) == 0) {
      flags |= Flags.VPN;
    }
    boolean stop = rnd.nextInt(10) != 0;
    String net = d.mobile ? a.mobileNet : a.homeNet;
    playback(a, d, p, title, s, duration, stop, a.residence, net, flags);
    return true;
  }

  private Title pickTitle(Mode mode) {
    if (mode == Mode.LICENSE_START) {
      List<Title> list = rnd.nextBoolean() && !expiring.isEmpty() ? expiring : upcoming;
      return list.get(rnd.nextInt(list.size()));
    }
    return titles.get(rnd.nextInt(titles.size()));
  }

  private boolean suits(Title t, Account a, Profile p, long s, long e, Mode mode) {
    boolean windowOk = t.covers(s, e + 5 * MIN);
    boolean tierOk = t.tier <= p.tier;
    boolean licensed = t.licensedIn(a.residence);
    return switch (mode) {
      case NORMAL -> licensed && windowOk && tierOk;
      case GEO -> !licensed && windowOk && tierOk;
      case LICENSE_START -> licensed && tierOk && (t.until <= s || t.from > e + 5 * MIN);
      case CAPTIONS -> licensed && windowOk && tierOk && t.requiresCaptions;
      case VPN -> licensed && windowOk && tierOk && t.blockAnonymizers;
      case PARENTAL -> licensed && windowOk && t.tier > p.tier;
      case KIDS_TARGETED, KIDS_ADS -> licensed && windowOk && tierOk && t.kids;
      case LICENSE_HEARTBEAT -> false;
    };
  }

  private Device freeDevice(Account a, long s) {
    int live = 0;
    List<Device> free = new ArrayList<>(a.devices.size());
    for (Device d : a.devices) {
      if (d.busyUntil > s) {
        live++;
      } else {
        free.add(d);
      }
    }
    if (free.isEmpty() || live >= a.maxStreams) {
      return null;
    }
    return free.get(rnd.nextInt(free.size()));
  }

  private long sessionLength() {
    double minutes = -options.meanSessionMinutes() * Math.log(1 - rnd.nextDouble());
    long ms = Math.round(minutes * MIN / 10) * 10;
    return Math.max(MIN, Math.min(3 * HOUR, ms));
  }

  // ---------------------------------------------------------------- playback sessions

  private static final class Flags {
    static final int NONE = 0;
    static final int ADS = 1;
    static final int BEACONS = 2;
    static final int PIN = 4;
    static final int NO_CAPTIONS = 8;
    static final int VPN = 16;
    static final int TARGETED_AD = 32;
    static final int AD_FLOOD = 64;
    static final int CLAIM_ADULT = 128;
  }

  private Playback playback(Account a, Device d, Profile p, Title t, long s, long duration, boolean stop,
      String country, String net, int flags) {
    return playbackAt(a, d, p, t, s, duration, stop, country, net, flags, s);
  }

  /** A session starting at {@code s} whose events are created (and emitted) from sim time {@code created}. */
  private Playback playbackAt(Account a, Device d, Profile p, Title t, long s, long duration, boolean stop,
      String country, String net, int flags, long created) {
    Playback session = new Playback(a, d, p, t, s, s + duration, stop, country, net, flags, created);
    long lastActivity = s + (duration - 1) / heartbeat * heartbeat;
    // the rules see a session live until its stop, or 3 heartbeat intervals after its last heartbeat
    long busy = stop ? s + duration : lastActivity + 3 * heartbeat;
    d.busyUntil = Math.max(d.busyUntil, busy + 2 * SEC);
    sessions++;
    schedule(created, session::begin);
    return session;
  }

  private final class Playback {
    final Account a;
    final Device d;
    final Profile p;
    final Title t;
    final String id;
    final long s;
    final long e;
    final boolean stop;
    final String country;
    final String net;
    final int flags;
    // a backdated session (demo) emits what lies before this sim time at once, when it is reached
    final long created;
    long nextHeartbeat;
    long nextBreak;
    long nextBeacon;
    boolean targetedDone;
    boolean licenseHeartbeatReported;

    Playback(Account a, Device d, Profile p, Title t, long s, long e, boolean stop, String country, String net,
        int flags, long created) {
      this.a = a;
      this.d = d;
      this.p = p;
      this.t = t;
      this.id = "s-" + Long.toHexString(rnd.nextLong() & 0xffffffffffffL);
      this.s = s;
      this.e = e;
      this.stop = stop;
      this.country = country;
      this.net = net;
      this.flags = flags;
      this.created = created;
    }

    boolean has(int flag) {
      return (flags & flag) != 0;
    }

    void begin() {
      start();
      nextHeartbeat = s + heartbeat;
      if (has(Flags.AD_FLOOD)) {
        nextBreak = s + MIN;
      } else if (has(Flags.ADS) || has(Flags.TARGETED_AD)) {
        nextBreak = s + (has(Flags.TARGETED_AD) ? MIN : (1 + rnd.nextInt(4)) * MIN);
      } else {
        nextBreak = Long.MAX_VALUE;
      }
      nextBeacon = has(Flags.BEACONS) ? s + (2 + rnd.nextInt(5)) * MIN + 500 : Long.MAX_VALUE;
      step();
    }

    /** Schedules the next heartbeat, ad break, beacon or the end, whichever comes first. */
    void step() {
      long next = Math.min(nextHeartbeat, Math.min(nextBreak, nextBeacon));
      if (next >= e) {
        if (stop) {
          scheduleAt(e, () -> emitAt(playbackEvent("playback.stop", e), e));
        }
        return;
      }
      if (next == nextHeartbeat) {
        long at = nextHeartbeat;
        nextHeartbeat += heartbeat;
        scheduleAt(at, () -> {
          heartbeat(at);
          step();
        });
      } else if (next == nextBreak) {
        long at = nextBreak;
        boolean flood = has(Flags.AD_FLOOD);
        nextBreak = flood ? at + 2 * MIN : at + (8 + rnd.nextInt(5)) * MIN;
        scheduleAt(at, () -> {
          adBreak(at, flood);
          step();
        });
      } else {
        long at = nextBeacon;
        nextBeacon = at + (4 + rnd.nextInt(4)) * MIN;
        scheduleAt(at, () -> {
          int vendor = MEASUREMENT_VENDORS[rnd.nextInt(MEASUREMENT_VENDORS.length)];
          boolean kids = p.tier <= 1 || t.kids;
          beacon(at, vendor, !kids && a.consent.allows(a, Use.MEASUREMENT, vendor) && rnd.nextInt(5) != 0);
          step();
        });
      }
    }

    void scheduleAt(long time, Runnable run) {
      schedule(Math.max(time, created), run);
    }

    void emitAt(JsonObject event, long occurredAt) {
      emit(event, occurredAt, Math.max(occurredAt, created));
    }

    JsonObject playbackEvent(String type, long at) {
      return event(type, at).put("accountId", a.id).put("deviceId", d.id).put("sessionId", id)
          .put("contentId", t.id);
    }

    void start() {
      JsonObject ev = playbackEvent("playback.start", s).put("profileId", p.id).put("ip", address(net))
          .put("country", country);
      if (has(Flags.CLAIM_ADULT)) {
        ev.put("profileMaturity", "ADULTS");
      } else if (rnd.nextInt(5) < 2) {
        ev.put("profileMaturity", TIERS[p.tier]);
      }
      Boolean captions = has(Flags.NO_CAPTIONS) ? Boolean.FALSE
          : t.requiresCaptions ? Boolean.TRUE : rnd.nextInt(3) == 0 ? null : rnd.nextBoolean();
      if (captions != null) {
        ev.put("captions", captions);
      }
      boolean vpn = has(Flags.VPN);
      if (vpn || rnd.nextBoolean()) {
        ev.put("vpn", vpn);
      }
      boolean pin = has(Flags.PIN);
      if (pin || rnd.nextInt(4) == 0) {
        ev.put("pinVerified", pin);
      }
      if (rnd.nextInt(4) == 0) {
        ev.put("player", rnd.nextBoolean() ? "web" : "tv");
      }
      emitAt(ev, s);
      if (rnd.nextInt(5) == 0) {
        emitAt(event("auth.login", s - 2 * SEC).put("accountId", a.id).put("deviceId", d.id)
            .put("ip", address(net)), s - 2 * SEC);
      }
      // what the rules must find in this start
      if (!t.licensedIn(country) && !(EU_EEA.contains(a.residence) && EU_EEA.contains(country)
          && !country.equals(a.residence) && t.licensedIn(a.residence))) {
        truth("geo_restriction", "HIGH", a.id, t.id, null, s);
      }
      if (!t.availableAt(s)) {
        truth("license_window", "HIGH", null, t.id, null, s);
      }
      if (t.requiresCaptions && Boolean.FALSE.equals(captions)) {
        truth("captions_missing", "LOW", null, t.id, null, s);
      }
      if (t.tier > p.tier && !pin) {
        truth("parental_rating", p.tier <= 1 ? "HIGH" : "MEDIUM", a.id, t.id, null, s);
      }
      if (vpn && t.blockAnonymizers) {
        vpnStarts.computeIfAbsent(a.id, k -> new ArrayList<>()).add(new long[] {s});
      }
    }

    void heartbeat(long at) {
      JsonObject ev = playbackEvent("playback.heartbeat", at);
      if (rnd.nextInt(3) == 0) {
        ev.put("ip", address(net));
      }
      emitAt(ev, at);
      if (!t.availableAt(at) && !licenseHeartbeatReported) {
        licenseHeartbeatReported = true;
        truth("license_window", "MEDIUM", null, t.id, id, at);
      }
    }

    void adBreak(long at, boolean flood) {
      int n = flood ? 3 : 1 + rnd.nextInt(2);
      long time = at;
      for (int i = 0; i < n && time < e; i++) {
        int seconds = flood || rnd.nextBoolean() ? 30 : 15;
        boolean kids = p.tier <= 1 || t.kids;
        int vendor = AD_VENDORS[rnd.nextInt(AD_VENDORS.length)];
        boolean personalized;
        boolean personalIds;
        if (has(Flags.TARGETED_AD) && !targetedDone) {
          targetedDone = true;
          personalized = true;
          personalIds = false;
        } else if (kids) {
          personalized = false;
          personalIds = false;
        } else {
          personalized = rnd.nextBoolean() && a.consent.allows(a, Use.PERSONALIZED_AD, vendor);
          personalIds = personalized || (rnd.nextBoolean() && a.consent.allows(a, Use.BASIC_AD, vendor));
        }
        // ordinary breaks stay clear of the kids ad limit
        if (t.kids && !flood && !(has(Flags.TARGETED_AD) && personalized)
            && kidsSeconds(a.id, time) + seconds > 600) {
          continue;
        }
        ad(time, seconds, personalized, personalIds, vendor);
        time += seconds * SEC;
      }
    }

    void ad(long at, int seconds, boolean personalized, boolean personalIds, int vendor) {
      JsonObject ev = event("ad.impression", at).put("accountId", a.id).put("profileId", p.id).put("deviceId", d.id)
          .put("sessionId", id).put("contentId", t.id).put("adDurationSec", seconds)
          .put("adPersonalized", personalized).put("thirdParty", Integer.toString(vendor))
          .put("personalIds", personalIds).put("ip", address(net));
      emitAt(ev, at);
      if ((personalized || personalIds) && (p.tier <= 1 || t.kids)) {
        truth("kids_targeted_ad", "HIGH", a.id, t.id, null, at);
      }
      if (t.kids) {
        long hour = localHour(at);
        kidsAdSeconds.computeIfAbsent(a.id, k -> new HashMap<>()).merge(hour, (double) seconds, Double::sum);
      }
      if (personalIds) {
        consentTruth(a, at, personalized ? Use.PERSONALIZED_AD : Use.BASIC_AD, vendor, true);
      }
    }

    void beacon(long at, int vendor, boolean personalIds) {
      JsonObject ev = event("tracking.beacon", at).put("accountId", a.id).put("deviceId", d.id)
          .put("contentId", t.id).put("thirdParty", Integer.toString(vendor)).put("personalIds", personalIds)
          .put("ip", address(net));
      emitAt(ev, at);
      consentTruth(a, at, Use.MEASUREMENT, vendor, personalIds);
    }
  }

  private double kidsSeconds(String account, long at) {
    Map<Long, Double> hours = kidsAdSeconds.get(account);
    return hours == null ? 0 : hours.getOrDefault(localHour(at), 0.0);
  }

  private void consentTruth(Account a, long at, Use use, int vendor, boolean personalIds) {
    if (personalIds && !a.consent.allows(a, use, vendor)) {
      truth("consent_violation", "HIGH", a.id, null, null, at);
    }
  }

  // ---------------------------------------------------------------- consent

  private final class Consent {
    Boolean gdprApplies;
    String tcf;
    Set<Integer> purposes = Set.of();
    Set<Integer> vendors = Set.of();
    String usPrivacy;
    Boolean gpc;
    boolean recorded;

    /** What the rules decide for personal identifiers sent to that vendor for that use (mirrors consent_violation). */
    boolean allows(Account a, Use use, int vendor) {
      boolean gdpr = gdprApplies != null ? gdprApplies : EU_EEA.contains(a.residence);
      if (gdpr) {
        if (!recorded || tcf == null || !purposes.contains(1) || !vendors.contains(vendor)) {
          return false;
        }
        boolean ok = switch (use) {
          case MEASUREMENT -> purposes.contains(7) || purposes.contains(8);
          case PERSONALIZED_AD -> purposes.contains(3) && purposes.contains(4);
          case BASIC_AD -> purposes.contains(2);
        };
        if (!ok) {
          return false;
        }
      }
      if (usPrivacy != null && Character.toUpperCase(usPrivacy.charAt(2)) == 'Y') {
        return false;
      }
      return !Boolean.TRUE.equals(gpc);
    }
  }

  private void initialConsent(Account a, long at) {
    JsonObject c = new JsonObject();
    Set<Integer> purposes = Set.of();
    Set<Integer> vendors = Set.of();
    boolean eu = EU_EEA.contains(a.residence);
    if (eu || (a.residence.equals("GB") && rnd.nextBoolean())) {
      purposes = rnd.nextInt(4) == 0 ? NO_ADS_PERSONALISATION : ALL_PURPOSES;
      if (rnd.nextInt(5) == 0) {
        Set<Integer> some = new TreeSet<>();
        for (int v : ALL_VENDORS) {
          if (rnd.nextBoolean()) {
            some.add(v);
          }
        }
        some.add(MEASUREMENT_VENDORS[0]);
        vendors = some;
      } else {
        vendors = ALL_VENDORS;
      }
      c.put("gdprApplies", true).put("tcf", TcStringEncoder.encode(Instant.ofEpochMilli(at), purposes, vendors));
    } else if (a.residence.equals("US")) {
      int r = rnd.nextInt(10);
      c.put("usPrivacy", r < 7 ? "1YNN" : r < 9 ? "1YYN" : "1YNN");
      if (r == 9) {
        c.put("gpc", true);
      }
    } else {
      return;
    }
    Set<Integer> p = purposes;
    Set<Integer> v = vendors;
    schedule(at, () -> consentUpdate(a, at, c, p, v));
  }

  private void consentUpdate(Account a, long at, JsonObject consent, Set<Integer> purposes, Set<Integer> vendors) {
    // nested as a map, as in an event parsed from the wire (the schema validator expects that)
    JsonObject ev = event("consent.update", at).put("accountId", a.id).put("deviceId", a.device(0).id)
        .put("consent", consent.getMap());
    emit(ev, at, at);
    Consent m = a.consent;
    m.recorded = true;
    if (consent.containsKey("gdprApplies")) {
      m.gdprApplies = consent.getBoolean("gdprApplies");
    }
    if (consent.containsKey("tcf")) {
      m.tcf = consent.getString("tcf");
      m.purposes = purposes;
      m.vendors = vendors;
    }
    if (consent.containsKey("usPrivacy")) {
      m.usPrivacy = consent.getString("usPrivacy");
    }
    if (consent.containsKey("gpc")) {
      m.gpc = consent.getBoolean("gpc");
    }
  }

  // ---------------------------------------------------------------- events and truth

  private JsonObject event(String type, long at) {
    return new JsonObject().put("eventId", new UUID((rnd.nextLong() & ~0xf000L) | 0x4000L,
            (rnd.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L).toString())
        .put("type", type).put("occurredAt", Instant.ofEpochMilli(at).toString());
  }

  private void truth(String rule, String severity, String account, String content, String session, long at) {
    truth.add(new ExpectedFinding(rule, severity, account, content, session, Instant.ofEpochMilli(at)));
  }

  private long localHour(long at) {
    return ZonedDateTime.ofInstant(Instant.ofEpochMilli(at), options.zone()).truncatedTo(ChronoUnit.HOURS)
        .toInstant().toEpochMilli();
  }

  private long localDay(long at) {
    return LocalDate.ofInstant(Instant.ofEpochMilli(at), options.zone()).toEpochDay();
  }

  private int kidsAdLimit(long hourStart) {
    DayOfWeek day = Instant.ofEpochMilli(hourStart).atZone(options.zone()).getDayOfWeek();
    return day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY ? 630 : 720;
  }

  // ---------------------------------------------------------------- population

  private static final class Title {
    String id;
    String name;
    String rating;
    int tier;
    Set<String> territories;
    long from = Long.MIN_VALUE;
    long until = Long.MAX_VALUE;
    boolean requiresCaptions;
    boolean kids;
    boolean blockAnonymizers;

    boolean licensedIn(String country) {
      return territories == null || territories.contains(country);
    }

    boolean availableAt(long t) {
      return t >= from && t < until;
    }

    boolean covers(long a, long b) {
      return from <= a && b < until;
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("contentId", id).put("title", name).put("rating", rating)
          .put("territories", territories == null ? "*" : new JsonArray(new ArrayList<>(new TreeSet<>(territories))));
      if (from != Long.MIN_VALUE) {
        json.put("availableFrom", Instant.ofEpochMilli(from).toString());
      }
      if (until != Long.MAX_VALUE) {
        json.put("availableUntil", Instant.ofEpochMilli(until).toString());
      }
      return json.put("requiresCaptions", requiresCaptions).put("kidsContent", kids)
          .put("blockAnonymizers", blockAnonymizers);
    }
  }

  private static final class Profile {
    final String id;
    final int tier;

    Profile(String id, int tier) {
      this.id = id;
      this.tier = tier;
    }
  }

  private static final class Device {
    final String id;
    final boolean mobile;
    long busyUntil = Long.MIN_VALUE;

    Device(String id, boolean mobile) {
      this.id = id;
      this.mobile = mobile;
    }
  }

  private final class Account {
    String id;
    String plan;
    int maxStreams;
    String residence;
    final List<Profile> profiles = new ArrayList<>();
    final List<Device> devices = new ArrayList<>();
    String homeNet;
    String mobileNet;
    boolean v6;
    boolean consentStarted;
    final Consent consent = new Consent();

    /** The k-th device, created on first use (accounts reserved for patterns get theirs as needed). */
    Device device(int k) {
      while (devices.size() <= k) {
        devices.add(new Device(id + "-d" + devices.size(), false));
      }
      return devices.get(k);
    }

    JsonObject toJson() {
      JsonObject p = new JsonObject();
      profiles.forEach(x -> p.put(x.id, TIERS[x.tier]));
      return new JsonObject().put("accountId", id).put("plan", plan).put("maxStreams", maxStreams)
          .put("residence", residence).put("profiles", p);
    }
  }

  private Account ordinaryAccount(int i) {
    Account a = new Account();
    a.id = String.format("acct-%06d", i);
    int r = rnd.nextInt(residenceWeightSum);
    int k = 0;
    while (r >= RESIDENCE_WEIGHTS[k]) {
      r -= RESIDENCE_WEIGHTS[k++];
    }
    a.residence = RESIDENCES[k];
    int plan = rnd.nextInt(10);
    a.plan = plan < 3 ? "basic" : plan < 8 ? "standard" : "premium";
    a.maxStreams = plan < 3 ? 1 : plan < 8 ? 2 : 4;
    a.profiles.add(new Profile("p1", 3));
    int extra = rnd.nextInt(4);
    for (int j = 0; j < extra; j++) {
      a.profiles.add(new Profile("p" + (j + 2), rnd.nextInt(4)));
    }
    a.v6 = rnd.nextDouble() < options.ipv6Share();
    a.homeNet = randomNet(a.v6);
    a.mobileNet = randomNet(false);
    int devices = 1 + rnd.nextInt(4);
    for (int j = 0; j < devices; j++) {
      a.devices.add(new Device("dev-" + Long.toHexString(rnd.nextLong() & 0xffffffffffL), j > 0 && rnd.nextInt(3) == 0));
    }
    return a;
  }

  private Account scenarioAccount(int i) {
    Account a = new Account();
    a.id = String.format("pattern-%06d", i);
    a.residence = SCENARIO_RESIDENCES[i % SCENARIO_RESIDENCES.length];
    a.maxStreams = 1 + i % 4;
    a.plan = a.maxStreams == 1 ? "basic" : a.maxStreams == 4 ? "premium" : "standard";
    a.profiles.add(new Profile("p1", 3));
    a.profiles.add(new Profile("p2", 2));
    a.profiles.add(new Profile("p3", 1));
    a.profiles.add(new Profile("p4", 0));
    a.v6 = i % 5 == 0;
    a.homeNet = randomNet(a.v6);
    a.mobileNet = randomNet(false);
    return a;
  }

  private Account allocate(Predicate<Account> fits) {
    for (int k = 0; k < pool.size(); k++) {
      int index = (poolCursor + k) % pool.size();
      Account a = pool.get(index);
      if (fits.test(a)) {
        poolCursor = index + 1;
        return a;
      }
    }
    throw new IllegalStateException("no reserved account fits");
  }

  private Account randomOrdinary() {
    return ordinary.get(rnd.nextInt(ordinary.size()));
  }

  private String randomNet(boolean v6) {
    if (v6) {
      return "2001:db8:" + Integer.toHexString(rnd.nextInt(0x10000));
    }
    int a;
    do {
      a = 11 + rnd.nextInt(213);
    } while (a == 127 || a == 169 || a == 172 || a == 192 || a == 100);
    return a + "." + rnd.nextInt(256) + "." + rnd.nextInt(256);
  }

  private String address(String net) {
    if (net.indexOf(':') >= 0) {
      return net + ":" + Integer.toHexString(rnd.nextInt(0x10000)) + "::" + Integer.toHexString(1 + rnd.nextInt(0xfffe));
    }
    return net + "." + (2 + rnd.nextInt(253));
  }

  private Title safeTitle(int tier) {
    List<Title> list = safe.get(tier);
    return list.get(rnd.nextInt(list.size()));
  }

  private void buildCatalogue() {
    int n = 0;
    // always licensed, available and unrestricted: patterns and fallbacks play these
    for (int tier = 0; tier < 4; tier++) {
      List<Title> list = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        Title t = title(n++, tier);
        t.kids = tier <= 1;
        list.add(t);
        titles.add(t);
      }
      safe.add(list);
      Title blocking = title(n++, tier);
      blocking.blockAnonymizers = true;
      blocking.kids = tier <= 1;
      safeBlocking.add(blocking);
      titles.add(blocking);
    }
    for (String country : new TreeSet<>(EU_EEA)) {
      Title t = title(n++, 3);
      t.territories = Set.of(country);
      homeOnly.put(country, t);
      titles.add(t);
    }
    for (int i = 0; i < options.titles(); i++) {
      int tier = rnd.nextInt(4);
      Title t = title(n++, tier);
      if (rnd.nextInt(100) >= 55) {
        t.territories = rnd.nextInt(8) == 0 ? EU_EEA : Set.of(REGIONS[rnd.nextInt(REGIONS.length)]);
      }
      if (rnd.nextBoolean()) {
        t.from = start - 365 * DAY;
        t.until = start + 3650 * DAY;
      }
      t.requiresCaptions = rnd.nextInt(10) < 3;
      t.kids = tier <= 1 && rnd.nextInt(5) != 0;
      t.blockAnonymizers = rnd.nextInt(10) < 4;
      titles.add(t);
    }
    // one licence ends and one starts every two hours for two weeks
    for (int k = 0; k < 168; k++) {
      Title ending = title(n++, k % 4);
      ending.from = start - 30 * DAY;
      ending.until = start + (k + 1) * 2 * HOUR;
      ending.requiresCaptions = k % 5 == 0;
      ending.kids = ending.tier <= 1;
      ending.blockAnonymizers = k % 3 == 0;
      expiring.add(ending);
      titles.add(ending);
      Title starting = title(n++, (k + 1) % 4);
      starting.from = start + (k + 1) * 2 * HOUR;
      starting.requiresCaptions = k % 4 == 0;
      starting.kids = starting.tier <= 1;
      starting.blockAnonymizers = k % 3 == 1;
      upcoming.add(starting);
      titles.add(starting);
    }
  }

  private Title title(int n, int tier) {
    Title t = new Title();
    t.id = String.format("title-%05d", n);
    String[] ratings = TIER_RATINGS[tier];
    t.rating = ratings[rnd.nextInt(ratings.length)];
    t.tier = tier;
    t.name = NAMES[rnd.nextInt(NAMES.length)] + " " + NOUNS[rnd.nextInt(NOUNS.length)] + " " + (n % 97 + 1);
    return t;
  }

  private static final String[] NAMES = {"Midnight", "Crimson", "Silent", "Golden", "Lost", "Northern", "Hidden",
      "Brave", "Electric", "Winter", "Little", "Wild", "Broken", "Secret", "Last"};
  private static final String[] NOUNS = {"River", "Harbor", "Garden", "Signal", "Kingdom", "Orbit", "Forest",
      "Echo", "Summit", "Voyage", "Lantern", "Circuit", "Meadow", "Frontier", "Tide"};
}
