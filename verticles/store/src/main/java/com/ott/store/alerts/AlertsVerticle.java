package com.ott.store.alerts;

import com.ott.contract.AlertAddresses;
import com.ott.contract.Failures;
import com.ott.runtime.OttConfig;
import com.ott.runtime.Postgres;
import com.ott.runtime.ProcessRuntime;
import com.ott.store.reports.ComplianceReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts and reports over the bus ({@link AlertAddresses}): turns findings into stored
 * alerts, lists, acknowledges and resolves them, reads their audit trail and builds the
 * compliance report. Every stored change is then published (bus, and Kafka when configured).
 *
 * <p>Configuration: {@code pg.url}, {@code pg.poolSize}; {@code kafka.bootstrap},
 * {@code kafka.alertsTopic} (default ott.alerts); {@code alerts.evidenceEventIds} (default 50),
 * {@code alerts.maxFindingsPerMessage} (default 10000).
 */
public class AlertsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AlertsVerticle.class);
  private static final int MAX_TENANT_ID = 128;
  private static final int MAX_ACTOR = 200;
  public static final int MAX_NOTE = 2000;

  private Pool pool;
  private AlertRepository alerts;
  private ComplianceReport reports;
  private AlertPublisher publisher;
  private int maxFindings;
  private Counter created;
  private Counter updated;

  @Override
  public Future<?> start() {
    JsonObject pg = OttConfig.section(config(), "pg");
    JsonObject settings = OttConfig.section(config(), "alerts");
    JsonObject kafka = OttConfig.section(config(), "kafka");
    String url = pg.getString("url");
    maxFindings = settings.getInteger("maxFindingsPerMessage", 10_000);
    pool = Postgres.pool(vertx, pg, pg.getInteger("poolSize", 8));
    alerts = new AlertRepository(pool, Clock.systemUTC(), settings.getInteger("evidenceEventIds", 50), 1000);
    reports = new ComplianceReport(pool, Clock.systemUTC());
    MeterRegistry meters = ProcessRuntime.of(vertx).meters();
    created = Counter.builder("ott_alerts_created").description("alerts opened").register(meters);
    updated = Counter.builder("ott_alerts_updated").description("findings added to open alerts").register(meters);
    publisher = new AlertPublisher(vertx, kafka, meters);
    ProcessRuntime.of(vertx).readiness().register("postgresql", () -> Postgres.ping(pool));

    return Postgres.migrate(vertx, url, "store")
        .compose(applied -> Postgres.verifyAppRole(pool))
        .compose(ok -> publisher.start(kafka.getInteger("topicPartitions", 4),
            kafka.getInteger("replicationFactor", 1).shortValue()))
        .compose(x -> {
          handle(AlertAddresses.RAISE, this::raise);
          handle(AlertAddresses.LIST, this::list);
          handle(AlertAddresses.GET, this::get);
          handle(AlertAddresses.ACK, body -> transition(body, true));
          handle(AlertAddresses.RESOLVE, body -> transition(body, false));
          handle(AlertAddresses.AUDIT, this::audit);
          handle(AlertAddresses.REPORT_COMPLIANCE, this::report);
          return Future.succeededFuture();
        });
  }

  private void handle(String address, Function<JsonObject, Future<?>> action) {
    vertx.eventBus().<Object>consumer(address, (Message<Object> msg) -> {
      Future<?> result;
      try {
        if (!(msg.body() instanceof JsonObject body)) {
          throw Failures.reject(Failures.BAD_REQUEST, "the request must be a JSON object");
        }
        result = action.apply(body);
      } catch (Failures.Rejection r) {
        result = Future.failedFuture(r);
      }
      result.onSuccess(msg::reply).onFailure(err -> {
        if (!(err instanceof Failures.Rejection)) {
          LOG.warn("{} failed: {}", address, err.getMessage());
        }
        Failures.replyFailure(msg, err);
      });
    });
  }

  private Future<JsonObject> raise(JsonObject body) {
    JsonArray raw;
    String tenantId;
    if (body.containsKey("findings")) {
      if (!(body.getValue("findings") instanceof JsonArray list)) {
        throw Failures.reject(Failures.BAD_REQUEST, "findings: must be an array");
      }
      raw = list;
      tenantId = tenant(body);
    } else {
      raw = new JsonArray().add(body);
      tenantId = tenant(body);
    }
    if (raw.size() > maxFindings) {
      throw Failures.reject(Failures.PAYLOAD_TOO_LARGE, "findings: at most " + maxFindings + " per message");
    }
    List<Finding> findings = new ArrayList<>(raw.size());
    JsonArray rejected = new JsonArray();
    for (int i = 0; i < raw.size(); i++) {
      Finding.Parsed parsed = Finding.parse(raw.getValue(i), tenantId);
      if (parsed.finding() != null) {
        findings.add(parsed.finding());
      } else {
        rejected.add(new JsonObject().put("index", i).put("errors", new JsonArray(parsed.errors())));
      }
    }
    if (!rejected.isEmpty()) {
      LOG.warn("tenant {}: {} of {} findings refused, e.g. {}", tenantId, rejected.size(), raw.size(),
          rejected.getJsonObject(0).getJsonArray("errors").encode());
    }
    return alerts.raise(tenantId, findings).map(result -> {
      JsonArray changed = new JsonArray();
      for (AlertRepository.Change change : result.changes()) {
        changed.add(change.alert());
      }
      created.increment(result.created());
      updated.increment(result.updated());
      JsonObject reply = new JsonObject()
          .put("created", result.created())
          .put("updated", result.updated())
          .put("unchanged", result.unchanged())
          .put("rejected", rejected)
          .put("alerts", changed);
      // after the commit and off the reply's path: publishing never holds up the caller
      vertx.runOnContext(x -> result.changes().forEach(c -> publisher.publish(c.alert(), c.auditId())));
      return reply;
    });
  }

  private Future<JsonObject> list(JsonObject body) {
    String tenantId = tenant(body);
    return alerts.list(tenantId, AlertQuery.fromJson(body)).map(page -> new JsonObject()
        .put("items", new JsonArray(new ArrayList<>(page.items())))
        .put("nextCursor", page.nextCursor()));
  }

  private Future<JsonObject> get(JsonObject body) {
    String tenantId = tenant(body);
    UUID id = alertId(body);
    Future<JsonObject> alert = alerts.get(tenantId, id);
    if (!Boolean.TRUE.equals(body.getValue("withAudit"))) {
      return alert;
    }
    return alert.compose(a -> alerts.audit(tenantId, id, 200).map(audit -> a.put("audit", audit.getJsonArray("items"))
        .put("auditTruncated", audit.getBoolean("truncated"))));
  }

  private Future<JsonObject> audit(JsonObject body) {
    String tenantId = tenant(body);
    UUID id = alertId(body);
    Object l = body.getValue("limit", 200);
    if (!(l instanceof Integer limit) || limit < 1 || limit > 1000) {
      throw Failures.reject(Failures.BAD_REQUEST, "limit: an integer from 1 to 1000");
    }
    return alerts.audit(tenantId, id, limit);
  }

  private Future<JsonObject> transition(JsonObject body, boolean acknowledge) {
    String tenantId = tenant(body);
    UUID id = alertId(body);
    Object actor = body.getValue("actor");
    if (!(actor instanceof String a) || a.isBlank() || a.length() > MAX_ACTOR) {
      throw Failures.reject(Failures.BAD_REQUEST, "actor: required, at most " + MAX_ACTOR + " characters");
    }
    Object note = body.getValue("note");
    if (note != null && (!(note instanceof String n) || n.codePointCount(0, n.length()) > MAX_NOTE
        || n.indexOf('\u0000') >= 0)) {
      throw Failures.reject(Failures.BAD_REQUEST, "note: a text of at most " + MAX_NOTE + " characters");
    }
    Future<AlertRepository.Change> change = acknowledge
        ? alerts.acknowledge(tenantId, id, (String) actor, (String) note)
        : alerts.resolve(tenantId, id, (String) actor, (String) note);
    return change.map(c -> {
      vertx.runOnContext(x -> publisher.publish(c.alert(), c.auditId()));
      return c.alert();
    });
  }

  private Future<Object> report(JsonObject body) {
    String tenantId = tenant(body);
    ComplianceReport.Period period = ComplianceReport.Period.of(body.getValue("from"), body.getValue("to"));
    Object format = body.getValue("format", "json");
    String f = format instanceof String s ? s.toLowerCase(Locale.ROOT) : "";
    if (!f.equals("json") && !f.equals("csv")) {
      throw Failures.reject(Failures.BAD_REQUEST, "format: json or csv");
    }
    return reports.generate(tenantId, period).map(report -> f.equals("csv") ? ComplianceReport.toCsv(report) : report);
  }

  private static String tenant(JsonObject body) {
    Object t = body.getValue("tenantId");
    if (!(t instanceof String s) || s.isBlank() || s.length() > MAX_TENANT_ID) {
      throw Failures.reject(Failures.BAD_REQUEST, "tenantId: required");
    }
    return s;
  }

  /** A malformed id names no alert: 404, as for an unknown or another tenant's alert. */
  private static UUID alertId(JsonObject body) {
    UUID id = AlertIds.parse(body.getValue("alertId"));
    if (id == null) {
      throw Failures.reject(Failures.NOT_FOUND, "no such alert");
    }
    return id;
  }

  @Override
  public Future<?> stop() {
    Future<Void> kafka = publisher == null ? Future.succeededFuture() : publisher.close();
    return kafka.recover(err -> Future.succeededFuture()).compose(x -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
