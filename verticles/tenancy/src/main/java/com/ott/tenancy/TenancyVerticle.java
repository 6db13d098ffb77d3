package com.ott.tenancy;

import com.ott.contract.Addresses;
import com.ott.contract.Failures;
import com.ott.contract.TenancyAddresses;
import com.ott.runtime.OttConfig;
import com.ott.runtime.Postgres;
import com.ott.runtime.ProcessRuntime;
import com.ott.tenancy.billing.MonthlyBilling;
import com.ott.tenancy.metering.DailyUsage;
import com.ott.tenancy.metering.UsageRepository;
import com.ott.tenancy.tiers.TierCatalogWatcher;
import com.ott.tenancy.tiers.TierChanges;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenants, API keys, tiers, usage metering and billing: consumes the {@code ott.tenancy.*} addresses
 * ({@link Addresses} and {@link TenancyAddresses}).
 *
 * <p>Optional settings (section {@code tenancy}): {@code tiersFile} (else env {@code OTT_TIERS_FILE}),
 * {@code tiersReloadMs} (5000), {@code billingCheckMs} (600000), {@code closeGraceMinutes} (120),
 * {@code meterKeyRetentionDays} (45).
 */
public class TenancyVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TenancyVerticle.class);
  private static final int MAX_NAME = 100;
  private static final int MAX_IDEMPOTENCY_KEY = 200;
  private static final int MAX_USAGE_DAYS = 366;

  private Pool pool;
  private TenantRepository tenants;
  private TierCatalogWatcher tiers;
  private TierChanges tierChanges;
  private UsageRepository usage;
  private MonthlyBilling billing;
  private long billingTimer = -1;

  @Override
  public Future<?> start() {
    JsonObject pg = OttConfig.section(config(), "pg");
    String url = pg.getString("url");
    pool = Postgres.pool(vertx, pg, Math.max(2, pg.getInteger("poolSize", 8) / 2));
    tenants = new TenantRepository(pool);
    tierChanges = new TierChanges(pool);
    usage = new UsageRepository(pool);
    JsonObject settings = OttConfig.section(config(), "tenancy");
    String configured = settings.getString("tiersFile", "");
    String tiersFile = configured.isBlank() ? System.getenv("OTT_TIERS_FILE") : configured;
    ProcessRuntime.of(vertx).readiness().register("postgresql", () -> Postgres.ping(pool));
    return Postgres.migrate(vertx, url, "tenancy")
        .compose(applied -> Postgres.verifyAppRole(pool))
        .compose(ok -> TierCatalogWatcher.start(vertx, tiersFile, settings.getLong("tiersReloadMs", 5000L)))
        .compose(watcher -> {
          tiers = watcher;
          billing = new MonthlyBilling(pool, tiers::current, usage, tierChanges,
              Duration.ofMinutes(settings.getLong("closeGraceMinutes", 120L)), Clock.systemUTC());
          handle(Addresses.TENANCY_RESOLVE_KEY, body -> tenants.resolve(required(body, "keyHash")));
          handle(Addresses.TENANCY_CREATE_TENANT, this::create);
          handle(Addresses.TENANCY_ENSURE_TENANT, body -> tenants.ensure(validName(body), validTier(body)));
          handle(Addresses.TENANCY_ISSUE_KEY, body -> tenants.issueKey(required(body, "tenantId")));
          handle(Addresses.TENANCY_GET_TENANT, body -> tenants.get(required(body, "tenantId")));
          handle(Addresses.TENANCY_DELETE_TENANT, body -> tenants.delete(required(body, "tenantId")).onSuccess(deleted ->
              vertx.eventBus().publish(Addresses.TENANCY_INVALIDATED, new JsonObject().put("tenantId", deleted.getString("tenantId")))));
          handle(TenancyAddresses.PERSONAL_FIELDS, body -> tenants.personalFields(required(body, "tenantId")));
          handle(TenancyAddresses.SET_PERSONAL_FIELDS, body -> setPersonalFields(required(body, "tenantId"), body));
          handle(TenancyAddresses.TIER_OF, body -> tierOf(required(body, "tenantId")));
          handle(TenancyAddresses.CHANGE_TIER, body -> changeTier(required(body, "tenantId"), requiredTier(body)));
          handle(TenancyAddresses.METER, this::meter);
          handle(TenancyAddresses.USAGE, this::usage);
          handle(TenancyAddresses.QUOTA_STATUS, body -> billing.quotaStatus(required(body, "tenantId")));
          handle(TenancyAddresses.INVOICES, body -> billing.invoices(required(body, "tenantId"), optionalMonth(body)));
          billingTimer = billing.startClosing(vertx, settings.getLong("billingCheckMs", 600_000L),
              settings.getInteger("meterKeyRetentionDays", 45));
          return Future.succeededFuture();
        });
  }

  private Future<JsonObject> tierOf(String tenantId) {
    return tierChanges.tierOf(tenantId).map(tier -> tiers.current().of(tier).toJson()
        .put("tenantId", tenantId).put("currency", tiers.current().currency()));
  }

  private Future<JsonObject> changeTier(String tenantId, Tier tier) {
    return tierChanges.change(tenantId, tier).onSuccess(reply -> {
      if (reply.getBoolean("changed")) {
        // gateways drop cached principals, tier limits and quota states of the tenant
        vertx.eventBus().publish(Addresses.TENANCY_INVALIDATED, new JsonObject().put("tenantId", tenantId));
      }
    });
  }

  private Future<JsonObject> meter(JsonObject body) {
    String tenantId = required(body, "tenantId");
    String key = required(body, "idempotencyKey");
    if (key.length() > MAX_IDEMPOTENCY_KEY) {
      throw Failures.reject(Failures.BAD_REQUEST, "idempotencyKey: at most " + MAX_IDEMPOTENCY_KEY + " characters");
    }
    LocalDate today = UsageRepository.today();
    LocalDate day = body.getValue("day") == null ? today : date(body, "day");
    if (day.isAfter(today.plusDays(1)) || day.isBefore(today.minusYears(2))) {
      throw Failures.reject(Failures.BAD_REQUEST, "day: within the last two years and not after tomorrow (UTC)");
    }
    DailyUsage counts = new DailyUsage(count(body, "eventsAccepted"), count(body, "eventsRejected"),
        count(body, "apiCalls"), count(body, "bytesStored"));
    return usage.record(tenantId, key, day, counts).map(recorded -> new JsonObject().put("recorded", recorded));
  }

  private Future<JsonObject> usage(JsonObject body) {
    String tenantId = required(body, "tenantId");
    LocalDate from = date(body, "from");
    LocalDate to = date(body, "to");
    if (to.isBefore(from)) {
      throw Failures.reject(Failures.BAD_REQUEST, "to: must not be before from");
    }
    if (ChronoUnit.DAYS.between(from, to) >= MAX_USAGE_DAYS) {
      throw Failures.reject(Failures.BAD_REQUEST, "to: a range is at most " + MAX_USAGE_DAYS + " days");
    }
    return tenants.get(tenantId).compose(t -> usage.report(tenantId, from, to));
  }

  private static long count(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return 0;
    }
    if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0) {
      return ((Number) v).longValue();
    }
    throw Failures.reject(Failures.BAD_REQUEST, field + ": a whole number >= 0");
  }

  private static LocalDate date(JsonObject body, String field) {
    String raw = required(body, field);
    try {
      return LocalDate.parse(raw);
    } catch (DateTimeParseException e) {
      throw Failures.reject(Failures.BAD_REQUEST, field + ": a date YYYY-MM-DD");
    }
  }

  private static YearMonth optionalMonth(JsonObject body) {
    if (body.getValue("month") == null) {
      return null;
    }
    String raw = required(body, "month");
    try {
      return YearMonth.parse(raw);
    } catch (DateTimeParseException e) {
      throw Failures.reject(Failures.BAD_REQUEST, "month: a month YYYY-MM");
    }
  }

  private static Tier requiredTier(JsonObject body) {
    required(body, "tier");
    return validTier(body);
  }

  private void handle(String address, Function<JsonObject, Future<JsonObject>> action) {
    vertx.eventBus().<JsonObject>consumer(address, (Message<JsonObject> msg) -> {
      Future<JsonObject> result;
      try {
        result = action.apply(msg.body() == null ? new JsonObject() : msg.body());
      } catch (Failures.Rejection r) {
        result = Future.failedFuture(r);
      }
      result.onSuccess(msg::reply).onFailure(err -> {
        if (!(err instanceof Failures.Rejection)) {
          LOG.warn("{} failed: {}", address, err.toString());
        }
        Failures.replyFailure(msg, err);
      });
    });
  }

  private static String required(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (!(v instanceof String s) || s.isBlank()) {
      throw Failures.reject(Failures.BAD_REQUEST, field + ": required");
    }
    return s;
  }

  /** A new tenant, with the fields it marks personal when the request names some. */
  private Future<JsonObject> create(JsonObject body) {
    String name = validName(body);
    Tier tier = validTier(body);
    List<String> extra = extraPersonalFields(body);
    return tenants.create(name, tier).compose(created -> extra.isEmpty()
        ? Future.succeededFuture(created.put("personalFields", new JsonArray()))
        : tenants.setPersonalFields(created.getString("tenantId"), extra)
            .map(set -> created.put("personalFields", set.getJsonArray("personalFields"))));
  }

  private Future<JsonObject> setPersonalFields(String tenantId, JsonObject body) {
    if (!(body.getValue("personalFields") instanceof JsonArray)) {
      throw Failures.reject(Failures.BAD_REQUEST, "personalFields: required, a JSON array of field names");
    }
    return tenants.setPersonalFields(tenantId, extraPersonalFields(body)).onSuccess(set ->
        vertx.eventBus().publish(Addresses.TENANCY_INVALIDATED, new JsonObject().put("tenantId", tenantId)));
  }

  /** The extra personal fields a request names (validated; the default ones are implied and not stored). */
  private static List<String> extraPersonalFields(JsonObject body) {
    Object raw = body.getValue("personalFields");
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof JsonArray array)) {
      throw Failures.reject(Failures.BAD_REQUEST, "personalFields: a JSON array of field names");
    }
    List<String> all = com.ott.contract.EventFields.personalFields(array.getList());
    return all.subList(com.ott.contract.EventFields.PERSONAL_ORDER.size(), all.size());
  }

  private static String validName(JsonObject body) {
    String name = required(body, "name").trim();
    if (name.length() > MAX_NAME || !name.matches("[\\p{L}\\p{N} ._-]+")) {
      throw Failures.reject(Failures.BAD_REQUEST,
          "name: 1 to " + MAX_NAME + " letters, digits, spaces, '.', '_' or '-'");
    }
    return name;
  }

  private static Tier validTier(JsonObject body) {
    Object raw = body.getValue("tier", "FREE");
    Tier tier = raw instanceof String s ? Tier.parse(s) : null;
    if (tier == null) {
      throw Failures.reject(Failures.BAD_REQUEST, "tier: one of FREE, STANDARD, PREMIUM, ENTERPRISE");
    }
    return tier;
  }

  @Override
  public Future<?> stop() {
    if (tiers != null) {
      tiers.stop();
    }
    if (billingTimer >= 0) {
      vertx.cancelTimer(billingTimer);
    }
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
