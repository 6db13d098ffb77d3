package com.ott.encryption;

import static com.ott.contract.EncryptionAddresses.UNDECRYPTABLE;

import com.ott.contract.EncryptionAddresses;
import com.ott.contract.Failures;
import com.ott.contract.SharedJson;
import com.ott.runtime.OttConfig;
import com.ott.runtime.Postgres;
import com.ott.runtime.ProcessRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encryption stage: protects events before rules and storage, and lets authorised callers read them back.
 *
 * <p>Consumes {@link EncryptionAddresses#PROTECT} (the hot path: a batch of one tenant's events),
 * {@code UNPROTECT} and {@code UNPROTECT_TOKENS} (audited decryption), {@code TOKENIZE}, {@code ROTATE},
 * {@code SHRED}, {@code REWRAP} and {@code REWRAP_STATUS}; listens to {@code KEYS_CHANGED} to drop cached keys.
 * A timer rotates primary keys older than {@code encryption.rotationDays}. Deployment fails when the
 * key-encryption key is missing, unreadable, or not the one the stored keysets were wrapped with.
 */
public class EncryptionVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EncryptionVerticle.class);
  private static final int MAX_TEXT = 500;
  private static final int MAX_TENANT_ID = 128;
  // a failed decryption may be a rotation by another instance that this one has not heard of yet
  private static final Duration RELOAD_AFTER = Duration.ofSeconds(2);

  private EncryptionSettings settings;
  private TenantPersonalFields tenantFields;
  private Pool pool;
  private TenantKeyring keyring;
  private EncryptionAudit audit;
  private KeyRotation rotation;
  private final Map<String, RewrapJob> rewrapJobs = new ConcurrentHashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long rotationTimer = -1;
  private Counter protectedEvents;
  private Counter unprotectedEvents;
  private Counter rejections;
  private Timer protectTime;

  @Override
  public Future<?> start() {
    try {
      settings = EncryptionSettings.from(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalStateException(e.getMessage()));
    }
    if (!settings.enabled()) {
      LOG.warn("encryption.enabled is false: the encryption stage is not serving (callers must not send personal data to it)");
      return Future.succeededFuture();
    }
    JsonObject pg = OttConfig.section(config(), "pg");
    String url = pg.getString("url");
    JsonObject section = OttConfig.section(config(), "encryption");
    // the KEK first: a missing or wrong one is the error to report, whatever else is wrong
    return vertx.executeBlocking(() -> KeyEncryptionKey.fromConfig(section), false)
        .compose(kek -> {
          pool = Postgres.pool(vertx, pg, Math.max(2, pg.getInteger("poolSize", 8) / 2));
          keyring = new TenantKeyring(vertx, pool, kek);
          audit = new EncryptionAudit(pool);
          rotation = new KeyRotation(keyring, audit, settings.rotationAge());
          return Postgres.migrate(vertx, url, "encryption").compose(x -> Postgres.verifyAppRole(pool))
              .compose(x -> keyring.verifyKek()).map(kek);
        })
        .compose(kek -> {
          registerMeters(ProcessRuntime.of(vertx).meters());
          ProcessRuntime.of(vertx).readiness().register("encryption", () -> Postgres.ping(pool));
          handle(EncryptionAddresses.PROTECT, this::protect);
          handle(EncryptionAddresses.UNPROTECT, this::unprotect);
          handle(EncryptionAddresses.UNPROTECT_TOKENS, this::unprotectTokens);
          handle(EncryptionAddresses.TOKENIZE, this::tokenize);
          handle(EncryptionAddresses.ROTATE, this::rotate);
          handle(EncryptionAddresses.SHRED, this::shred);
          handle(EncryptionAddresses.REWRAP, this::rewrap);
          handle(EncryptionAddresses.REWRAP_STATUS, this::rewrapStatus);
          tenantFields = new TenantPersonalFields(vertx, 60_000);
          consumers.add(vertx.eventBus().<JsonObject>consumer(com.ott.contract.Addresses.TENANCY_INVALIDATED,
              m -> tenantFields.forget(m.body() == null ? "" : m.body().getString("tenantId", ""))));
          consumers.add(vertx.eventBus().<JsonObject>consumer(EncryptionAddresses.KEYS_CHANGED,
              m -> keyring.evict(m.body().getString("tenantId", ""))));
          long every = settings.rotationCheck().toMillis();
          rotationTimer = vertx.setPeriodic(Math.min(every, 30_000), every, id -> rotateDue());
          LOG.info("encryption ready: KEK {}, keys rotate every {} days, checked every {} min", kek.id(),
              settings.rotationAge().toDays(), settings.rotationCheck().toMinutes());
          return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
        });
  }

  /** With {@code personalFields} in the request, those (and the default ones); else the tenant's, from tenancy. */
  private Future<JsonObject> protect(JsonObject body) {
    String tenantId = tenantId(body);
    JsonArray events = events(body);
    List<?> named = optionalArray(body, "personalFields");
    Future<List<String>> personal = named != null
        ? Future.succeededFuture(EventProtector.personalFields(named))
        : tenantFields.of(tenantId);
    long started = System.nanoTime();
    return personal.compose(fields -> keyring.keys(tenantId)
        .compose(keys -> vertx.executeBlocking(() -> {
          EventProtector protector = new EventProtector(keys);
          for (int i = 0; i < events.size(); i++) {
            protector.protect(events.getJsonObject(i), fields);
          }
          return new JsonObject().put("events", events);
        }, false)))
        .onSuccess(x -> {
          protectedEvents.increment(events.size());
          protectTime.record(Duration.ofNanos(System.nanoTime() - started));
        });
  }

  private Future<JsonObject> unprotect(JsonObject body) {
    String tenantId = tenantId(body);
    String actor = text(body, "actor");
    String reason = text(body, "reason");
    JsonArray events = events(body);
    List<String> ids = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      ids.add(String.valueOf(events.getJsonObject(i).getValue("eventId")));
    }
    Function<TenantKeys, Future<JsonObject>> open = keys -> vertx.executeBlocking(() -> {
      EventProtector protector = new EventProtector(keys);
      JsonArray out = events.copy();
      for (int i = 0; i < out.size(); i++) {
        protector.unprotect(out.getJsonObject(i));
      }
      return new JsonObject().put("events", out);
    }, false);
    return audited(tenantId, EncryptionAudit.UNPROTECT, actor, reason, events.size(), ids, open)
        .onSuccess(x -> unprotectedEvents.increment(events.size()));
  }

  private Future<JsonObject> unprotectTokens(JsonObject body) {
    String tenantId = tenantId(body);
    String actor = text(body, "actor");
    String reason = text(body, "reason");
    JsonArray tokens = body.getValue("tokens") instanceof JsonArray a ? a : null;
    if (tokens == null || tokens.isEmpty()) {
      throw Failures.reject(Failures.BAD_REQUEST, "tokens: a non-empty array of {field, token}");
    }
    for (int i = 0; i < tokens.size(); i++) {
      if (!(tokens.getValue(i) instanceof JsonObject t) || !(t.getValue("token") instanceof String)) {
        throw Failures.reject(Failures.BAD_REQUEST, "tokens[" + i + "]: an object {field, token}");
      }
      tokenField(t.getValue("field"));
    }
    Function<TenantKeys, Future<JsonObject>> open = keys -> vertx.executeBlocking(() -> {
      EventProtector protector = new EventProtector(keys);
      JsonArray values = new JsonArray();
      for (int i = 0; i < tokens.size(); i++) {
        JsonObject t = tokens.getJsonObject(i);
        String field = t.getString("field");
        values.add(new JsonObject().put("field", field).put("token", t.getString("token"))
            .put("value", protector.valueOf(field, t.getString("token"))));
      }
      return new JsonObject().put("values", values);
    }, false);
    return audited(tenantId, EncryptionAudit.UNPROTECT_TOKENS, actor, reason, tokens.size(), null, open);
  }

  /** Decrypts, then answers only once the audit row is committed; a refused decryption is audited too. */
  private Future<JsonObject> audited(String tenantId, String action, String actor, String reason, int items,
                                     List<String> eventIds, Function<TenantKeys, Future<JsonObject>> open) {
    return keyring.existingKeys(tenantId)
        .compose(open)
        .recover(err -> isUndecryptable(err)
            ? keyring.refreshed(tenantId, RELOAD_AFTER).compose(open)
            : Future.failedFuture(err))
        .transform(ar -> {
          if (ar.succeeded()) {
            return audit.record(tenantId, action, actor, reason, items, eventIds, "ok").map(ar.result());
          }
          rejections.increment();
          String outcome = "refused " + Failures.statusOf(ar.cause());
          return audit.record(tenantId, action, actor, reason, items, eventIds, outcome)
              .transform(x -> Future.failedFuture(ar.cause()));
        });
  }

  private Future<JsonObject> tokenize(JsonObject body) {
    String tenantId = tenantId(body);
    String field = tokenField(body.getValue("field"));
    JsonArray values = body.getValue("values") instanceof JsonArray a ? a : null;
    if (values == null) {
      throw Failures.reject(Failures.BAD_REQUEST, "values: an array of clear values");
    }
    return keyring.keys(tenantId).compose(keys -> vertx.executeBlocking(() -> {
      EventProtector protector = new EventProtector(keys);
      JsonArray tokens = new JsonArray();
      for (int i = 0; i < values.size(); i++) {
        Object v = values.getValue(i);
        tokens.add(v == null ? null : protector.token(field, v));
      }
      return new JsonObject().put("tokens", tokens);
    }, false));
  }

  private Future<JsonObject> rotate(JsonObject body) {
    String tenantId = tenantId(body);
    String actor = optionalText(body, "actor", "unspecified");
    return keyring.rotate(tenantId, null)
        .compose(r -> audit.record(tenantId, EncryptionAudit.ROTATE, actor, "on demand", 1, null, "ok").map(r))
        .map(r -> {
          keysChanged(tenantId);
          return new JsonObject().put("tenantId", tenantId).put("primaryKeyId", r.primaryKeyId())
              .put("rotatedAt", r.rotatedAt().toString());
        });
  }

  private Future<JsonObject> shred(JsonObject body) {
    String tenantId = tenantId(body);
    String actor = optionalText(body, "actor", "unspecified");
    return keyring.shred(tenantId, actor)
        .compose(n -> audit.record(tenantId, EncryptionAudit.SHRED, actor, "tenant deleted", n, null, "ok"))
        .map(x -> {
          keysChanged(tenantId);
          return new JsonObject().put("tenantId", tenantId).put("shredded", true);
        });
  }

  private Future<JsonObject> rewrap(JsonObject body) {
    String tenantId = tenantId(body);
    String table;
    try {
      table = EncryptionSettings.table(optionalText(body, "table", settings.rewrapTable()), "table");
    } catch (IllegalArgumentException e) {
      throw Failures.reject(Failures.BAD_REQUEST, e.getMessage());
    }
    boolean await = Boolean.TRUE.equals(body.getValue("await"));
    String actor = optionalText(body, "actor", "unspecified");
    RewrapJob running = rewrapJobs.values().stream()
        .filter(j -> j.running() && j.tenantId().equals(tenantId) && j.table().equals(table))
        .findFirst().orElse(null);
    if (running != null) {
      return await ? running.finished() : Future.succeededFuture(running.progress());
    }
    return keyring.existingKeys(tenantId).compose(keys -> {
      RewrapJob job = new RewrapJob(vertx, pool, keyring, tenantId, table, settings.rewrapBatchSize());
      rewrapJobs.put(job.jobId(), job);
      Future<JsonObject> done = job.start().compose(progress -> audit.record(tenantId, EncryptionAudit.REWRAP, actor,
              "table " + table, (int) Math.min(Integer.MAX_VALUE, progress.getLong("rewrapped")), null,
              progress.getString("status").toLowerCase())
          .otherwise(x -> null)
          .map(progress))
          .onComplete(x -> rewrapJobs.remove(job.jobId()));
      return await ? done : Future.succeededFuture(job.progress());
    });
  }

  private Future<JsonObject> rewrapStatus(JsonObject body) {
    String jobId = text(body, "jobId");
    RewrapJob job = rewrapJobs.get(jobId);
    if (job != null) {
      return Future.succeededFuture(job.progress());
    }
    return RewrapJob.stored(pool, jobId).compose(p -> p != null ? Future.succeededFuture(p)
        : Future.failedFuture(Failures.reject(Failures.NOT_FOUND, "no rewrap job " + jobId)));
  }

  private void rotateDue() {
    rotation.rotateDue()
        .onSuccess(rotated -> rotated.forEach(r -> keysChanged(r.tenantId())))
        .onFailure(err -> LOG.warn("scheduled key rotation check failed: {}", err.getMessage()));
  }

  private void keysChanged(String tenantId) {
    keyring.evict(tenantId);
    vertx.eventBus().publish(EncryptionAddresses.KEYS_CHANGED, new JsonObject().put("tenantId", tenantId));
  }

  private void handle(String address, Function<JsonObject, Future<JsonObject>> action) {
    consumers.add(vertx.eventBus().<JsonObject>consumer(address, (Message<JsonObject> msg) -> {
      Future<JsonObject> result;
      try {
        result = action.apply(msg.body() == null ? new JsonObject() : msg.body());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onSuccess(reply -> msg.reply(reply, SharedJson.options(vertx, 30_000))).onFailure(err -> {
        if (!(err instanceof Failures.Rejection)) {
          LOG.warn("{} failed: {}", address, err.getMessage());
        }
        Failures.replyFailure(msg, err);
      });
    }));
  }

  private void registerMeters(MeterRegistry meters) {
    protectedEvents = Counter.builder("ott_encryption_events_protected").description("events protected").register(meters);
    unprotectedEvents = Counter.builder("ott_encryption_events_unprotected").description("events decrypted for a caller").register(meters);
    rejections = Counter.builder("ott_encryption_decryptions_refused").description("decryption requests refused").register(meters);
    protectTime = Timer.builder("ott_encryption_protect_batch").description("time to protect one batch").register(meters);
  }

  private static boolean isUndecryptable(Throwable err) {
    return err instanceof Failures.Rejection r && r.status() == UNDECRYPTABLE;
  }

  private static String tenantId(JsonObject body) {
    String id = text(body, "tenantId");
    if (id.length() > MAX_TENANT_ID) {
      throw Failures.reject(Failures.BAD_REQUEST, "tenantId: at most " + MAX_TENANT_ID + " characters");
    }
    return id;
  }

  private static String tokenField(Object field) {
    if (EncryptionAddresses.IP_NET.equals(field)) {
      return EncryptionAddresses.IP_NET;
    }
    if (!(field instanceof String f)) {
      throw Failures.reject(Failures.BAD_REQUEST, "field: the personal field a token belongs to, e.g. accountId");
    }
    EventProtector.personalFields(List.of(f));
    return f;
  }

  private static JsonArray events(JsonObject body) {
    if (!(body.getValue("events") instanceof JsonArray events)) {
      throw Failures.reject(Failures.BAD_REQUEST, "events: an array of events is required");
    }
    for (int i = 0; i < events.size(); i++) {
      if (!(events.getValue(i) instanceof JsonObject)) {
        throw Failures.reject(Failures.BAD_REQUEST, "events[" + i + "]: not an object");
      }
    }
    return events;
  }

  private static List<?> optionalArray(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      throw Failures.reject(Failures.BAD_REQUEST, field + ": an array of field names");
    }
    return a.getList();
  }

  private static String text(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (!(v instanceof String s) || s.isBlank()) {
      throw Failures.reject(Failures.BAD_REQUEST, field + ": required");
    }
    if (s.length() > MAX_TEXT) {
      throw Failures.reject(Failures.BAD_REQUEST, field + ": at most " + MAX_TEXT + " characters");
    }
    return s;
  }

  private static String optionalText(JsonObject body, String field, String defaultValue) {
    return body.getValue(field) == null ? defaultValue : text(body, field);
  }

  @Override
  public Future<?> stop() {
    if (rotationTimer >= 0) {
      vertx.cancelTimer(rotationTimer);
    }
    if (keyring != null) {
      ProcessRuntime.of(vertx).readiness().unregister("encryption");
    }
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
