package com.ott.store.alerts;

import com.ott.contract.Failures;
import com.ott.runtime.Postgres;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Alerts in PostgreSQL: findings upserted in batches (same dedup key, same live alert),
 * listed by keyset pages, acknowledged and resolved; every change leaves an audit row
 * written by the same statement as the change.
 */
public final class AlertRepository {
  static final String COLUMNS = "alert_id, tenant_id, rule_id, severity, status, subject, first_seen_at, last_seen_at,"
      + " count, evidence, explanation, trace_id, acknowledged_at, acknowledged_by, resolved_at, resolved_by";

  // One statement per chunk: the findings of the chunk, grouped by dedup key in Java (an upsert may touch a
  // row once), become one row each; the alert keeps the last N event ids, and an id it already holds (a
  // replay) adds nothing. The audit rows are written by the same statement, so no change goes unaudited.
  private static final String UPSERT = """
      WITH input AS (
        SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                             $9::int[], $10::text[], $11::text[], $12::text[])
          AS i(dedup_key, rule_id, severity, subject, first_seen, last_seen, event_ids, unidentified, vals,
               explanation, trace_id)
      ),
      fresh AS (
        SELECT i.*, alert_new_event_ids(
                 (SELECT jsonb_agg(e.id) FROM alerts r, jsonb_array_elements(r.evidence -> 'eventIds') AS e(id)
                  WHERE r.tenant_id = $1 AND r.dedup_key = i.dedup_key AND r.status = 'RESOLVED'),
                 i.event_ids::jsonb) AS new_ids
        FROM input i
      ),
      upserted AS (
        INSERT INTO alerts AS a (tenant_id, rule_id, severity, subject, dedup_key, first_seen_at, last_seen_at,
                                 count, evidence, explanation, trace_id, created_at, updated_at)
        SELECT $1, f.rule_id, f.severity, f.subject::jsonb, f.dedup_key, f.first_seen::timestamptz,
               f.last_seen::timestamptz, jsonb_array_length(f.new_ids) + f.unidentified,
               jsonb_build_object('eventIds', f.new_ids, 'values', f.vals::jsonb), f.explanation, f.trace_id, $14, $14
        FROM fresh f
        -- a replay of findings that a resolved alert holds opens no new alert
        WHERE f.unidentified > 0 OR jsonb_array_length(f.new_ids) > 0
        ORDER BY f.dedup_key
        ON CONFLICT (tenant_id, dedup_key) WHERE status <> 'RESOLVED' DO UPDATE SET
          count = a.count + (EXCLUDED.count - jsonb_array_length(EXCLUDED.evidence -> 'eventIds'))
                  + jsonb_array_length(alert_new_event_ids(a.evidence -> 'eventIds', EXCLUDED.evidence -> 'eventIds')),
          first_seen_at = least(a.first_seen_at, EXCLUDED.first_seen_at),
          last_seen_at = greatest(a.last_seen_at, EXCLUDED.last_seen_at),
          severity = CASE WHEN array_position(ARRAY['LOW', 'MEDIUM', 'HIGH'], EXCLUDED.severity)
                               > array_position(ARRAY['LOW', 'MEDIUM', 'HIGH'], a.severity)
                          THEN EXCLUDED.severity ELSE a.severity END,
          evidence = jsonb_build_object(
            'eventIds', alert_last_event_ids(coalesce(a.evidence -> 'eventIds', '[]'::jsonb)
                || alert_new_event_ids(a.evidence -> 'eventIds', EXCLUDED.evidence -> 'eventIds'), $13),
            'values', CASE WHEN EXCLUDED.last_seen_at >= a.last_seen_at
                           THEN EXCLUDED.evidence -> 'values' ELSE a.evidence -> 'values' END),
          explanation = CASE WHEN EXCLUDED.last_seen_at >= a.last_seen_at THEN EXCLUDED.explanation ELSE a.explanation END,
          trace_id = CASE WHEN EXCLUDED.last_seen_at >= a.last_seen_at
                          THEN coalesce(EXCLUDED.trace_id, a.trace_id) ELSE coalesce(a.trace_id, EXCLUDED.trace_id) END,
          updated_at = EXCLUDED.updated_at
        WHERE EXCLUDED.count > jsonb_array_length(EXCLUDED.evidence -> 'eventIds')
           OR jsonb_array_length(alert_new_event_ids(a.evidence -> 'eventIds', EXCLUDED.evidence -> 'eventIds')) > 0
        RETURNING a.*, (a.xmax::text = '0') AS created
      ),
      audited AS (
        INSERT INTO alert_audit (alert_id, tenant_id, action, actor, at, status_before, status_after, details)
        SELECT u.alert_id, $1, CASE WHEN u.created THEN 'created' ELSE 'updated' END, 'pipeline', $14,
               CASE WHEN u.created THEN NULL ELSE u.status END, u.status, jsonb_build_object('count', u.count)
        FROM upserted u
        RETURNING alert_id, audit_id
      )
      SELECT u.*, au.audit_id FROM upserted u JOIN audited au ON au.alert_id = u.alert_id
      ORDER BY u.first_seen_at, u.alert_id
      """;

  private static final String LOCK = "SELECT status FROM alerts WHERE tenant_id = $1 AND alert_id = $2 FOR UPDATE";

  private static final String TRANSITION = """
      WITH changed AS (
        UPDATE alerts SET status = $3,
          acknowledged_at = CASE WHEN $3 = 'ACKNOWLEDGED' THEN $5 ELSE acknowledged_at END,
          acknowledged_by = CASE WHEN $3 = 'ACKNOWLEDGED' THEN $6 ELSE acknowledged_by END,
          resolved_at = CASE WHEN $3 = 'RESOLVED' THEN $5 ELSE resolved_at END,
          resolved_by = CASE WHEN $3 = 'RESOLVED' THEN $6 ELSE resolved_by END,
          updated_at = $5
        WHERE tenant_id = $1 AND alert_id = $2
        RETURNING %s
      ),
      audited AS (
        INSERT INTO alert_audit (alert_id, tenant_id, action, actor, note, at, status_before, status_after)
        SELECT alert_id, $1, $4, $6, $7, $5, $8, status FROM changed
        RETURNING audit_id
      )
      SELECT c.*, au.audit_id FROM changed c, audited au
      """.formatted(COLUMNS);

  private static final String GET = "SELECT " + COLUMNS + " FROM alerts WHERE tenant_id = $1 AND alert_id = $2";

  private static final String AUDIT = """
      SELECT au.audit_id, au.action, au.actor, au.note, au.at, au.status_before, au.status_after, au.details
      FROM alerts a
      LEFT JOIN LATERAL (
        SELECT * FROM alert_audit x WHERE x.alert_id = a.alert_id ORDER BY x.audit_id DESC LIMIT $3
      ) au ON true
      WHERE a.tenant_id = $1 AND a.alert_id = $2
      """;

  /** A stored change of one alert: its JSON after the change and the id of the change's audit entry. */
  public record Change(JsonObject alert, long auditId, boolean created) {}

  /** What a batch of findings did: the alerts created or updated (replays change nothing). */
  public record RaiseResult(int created, int updated, int unchanged, List<Change> changes) {}

  /** A page of alerts and the cursor of the next one (null on the last page). */
  public record Page(List<JsonObject> items, String nextCursor) {}

  private final Pool pool;
  private final Clock clock;
  private final int maxEventIds;
  private final int chunkSize;

  /**
   * @param maxEventIds event ids an alert keeps as evidence; a replay is recognised among these
   * @param chunkSize distinct dedup keys per upsert statement
   */
  public AlertRepository(Pool pool, Clock clock, int maxEventIds, int chunkSize) {
    this.pool = pool;
    this.clock = clock;
    this.maxEventIds = Math.max(1, maxEventIds);
    this.chunkSize = Math.max(1, chunkSize);
  }

  public AlertRepository(Pool pool) {
    this(pool, Clock.systemUTC(), 50, 1000);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  // ---- raise ----

  /** Findings of one tenant with the same dedup key, folded into one upsert row. */
  private static final class Group {
    final String dedupKey;
    String ruleId;
    Severity severity;
    JsonObject subject;
    Instant first;
    Instant last;
    final LinkedHashSet<String> eventIds = new LinkedHashSet<>();
    int unidentified;
    JsonObject values;
    String explanation;
    String traceId;

    Group(String dedupKey) {
      this.dedupKey = dedupKey;
    }

    /** Adds a finding; findings come in event-time order, so the last one added is the latest. */
    void add(Finding f) {
      if (ruleId == null) {
        ruleId = f.ruleId();
        subject = f.subject();
        first = f.occurredAt();
        severity = f.severity();
      }
      last = f.occurredAt();
      values = f.values();
      explanation = f.explanation();
      traceId = f.traceId() != null ? f.traceId() : traceId;
      severity = f.severity().compareTo(severity) > 0 ? f.severity() : severity;
      if (f.eventId() == null) {
        unidentified++;
      } else {
        eventIds.add(f.eventId());
      }
    }
  }

  /**
   * Stores findings of one tenant: per dedup key, a new alert or an update of the live one;
   * all chunks in one transaction.
   */
  public Future<RaiseResult> raise(String tenantId, List<Finding> findings) {
    if (findings.isEmpty()) {
      return Future.succeededFuture(new RaiseResult(0, 0, 0, List.of()));
    }
    // event time order, so that "the latest finding" of a group is well defined
    List<Finding> ordered = new ArrayList<>(findings);
    ordered.sort(Comparator.comparing(Finding::occurredAt));
    // sorted keys: concurrent batches lock alerts in the same order and cannot deadlock
    Map<String, Group> groups = new TreeMap<>();
    for (Finding f : ordered) {
      groups.computeIfAbsent(f.dedupKey(), Group::new).add(f);
    }
    List<Group> all = new ArrayList<>(groups.values());
    Instant now = now();
    return Postgres.inTenant(pool, tenantId, conn -> upsertChunks(conn, tenantId, all, 0, now, new ArrayList<>()))
        .map(changes -> {
          int created = (int) changes.stream().filter(Change::created).count();
          return new RaiseResult(created, changes.size() - created, all.size() - changes.size(), changes);
        });
  }

  private Future<List<Change>> upsertChunks(SqlConnection conn, String tenantId, List<Group> groups, int from,
                                            Instant now, List<Change> changes) {
    if (from >= groups.size()) {
      return Future.succeededFuture(changes);
    }
    int to = Math.min(groups.size(), from + chunkSize);
    int n = to - from;
    String[] keys = new String[n];
    String[] rules = new String[n];
    String[] severities = new String[n];
    String[] subjects = new String[n];
    String[] firsts = new String[n];
    String[] lasts = new String[n];
    String[] eventIds = new String[n];
    Integer[] unidentified = new Integer[n];
    String[] values = new String[n];
    String[] explanations = new String[n];
    String[] traces = new String[n];
    for (int i = 0; i < n; i++) {
      Group g = groups.get(from + i);
      List<String> ids = new ArrayList<>(g.eventIds);
      int dropped = Math.max(0, ids.size() - maxEventIds);
      // beyond the evidence bound, older ids of the batch still count but cannot be recognised later
      List<String> kept = ids.subList(dropped, ids.size());
      keys[i] = g.dedupKey;
      rules[i] = g.ruleId;
      severities[i] = g.severity.name();
      subjects[i] = g.subject.encode();
      firsts[i] = g.first.toString();
      lasts[i] = g.last.toString();
      eventIds[i] = new JsonArray(new ArrayList<>(kept)).encode();
      unidentified[i] = g.unidentified + dropped;
      values[i] = g.values.encode();
      explanations[i] = g.explanation;
      traces[i] = g.traceId;
    }
    Tuple params = Tuple.tuple()
        .addString(tenantId)
        .addArrayOfString(keys)
        .addArrayOfString(rules)
        .addArrayOfString(severities)
        .addArrayOfString(subjects)
        .addArrayOfString(firsts)
        .addArrayOfString(lasts)
        .addArrayOfString(eventIds)
        .addArrayOfInteger(unidentified)
        .addArrayOfString(values)
        .addArrayOfString(explanations)
        .addArrayOfString(traces)
        .addInteger(maxEventIds)
        .addOffsetDateTime(Times.utc(now));
    return conn.preparedQuery(UPSERT).execute(params).compose(rows -> {
      for (Row row : rows) {
        changes.add(new Change(toJson(row), row.getLong("audit_id"), row.getBoolean("created")));
      }
      return upsertChunks(conn, tenantId, groups, to, now, changes);
    });
  }

  // ---- read ----

  /** A page of the tenant's alerts, newest first (firstSeenAt, then alertId, descending). */
  public Future<Page> list(String tenantId, AlertQuery query) {
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM alerts WHERE tenant_id = $1");
    Tuple params = Tuple.of(tenantId);
    // only the filters given appear in the statement, so the planner picks the index of each shape
    if (query.status() != null) {
      params.addString(query.status().name());
      sql.append(" AND status = $").append(params.size());
    }
    if (query.severity() != null) {
      params.addString(query.severity().name());
      sql.append(" AND severity = $").append(params.size());
    }
    if (query.ruleId() != null) {
      params.addString(query.ruleId());
      sql.append(" AND rule_id = $").append(params.size());
    }
    if (query.from() != null) {
      params.addOffsetDateTime(Times.utc(query.from()));
      sql.append(" AND first_seen_at >= $").append(params.size());
    }
    if (query.to() != null) {
      params.addOffsetDateTime(Times.utc(query.to()));
      sql.append(" AND first_seen_at < $").append(params.size());
    }
    if (query.cursor() != null) {
      params.addOffsetDateTime(Times.utc(query.cursor().firstSeenAt()));
      params.addUUID(query.cursor().alertId());
      sql.append(" AND (first_seen_at, alert_id) < ($").append(params.size() - 1).append(", $").append(params.size()).append(')');
    }
    // one more than asked tells whether another page follows
    params.addInteger(query.limit() + 1);
    sql.append(" ORDER BY first_seen_at DESC, alert_id DESC LIMIT $").append(params.size());
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery(sql.toString()).execute(params)).map(rows -> {
      List<JsonObject> items = new ArrayList<>(Math.min(rows.size(), query.limit()));
      AlertCursor next = null;
      for (Row row : rows) {
        if (items.size() == query.limit()) {
          JsonObject last = items.get(items.size() - 1);
          next = new AlertCursor(Instant.parse(last.getString("firstSeenAt")), UUID.fromString(last.getString("alertId")));
          break;
        }
        items.add(toJson(row));
      }
      return new Page(items, next == null ? null : next.encode());
    });
  }

  /** The alert, or 404 when the tenant has no alert of that id. */
  public Future<JsonObject> get(String tenantId, UUID alertId) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery(GET).execute(Tuple.of(tenantId, alertId)))
        .compose(rows -> rows.size() == 0
        ? Future.failedFuture(notFound(alertId))
        : Future.succeededFuture(toJson(rows.iterator().next())));
  }

  /** The newest {@code limit} audit entries of the alert, oldest first; 404 when the tenant has no such alert. */
  public Future<JsonObject> audit(String tenantId, UUID alertId, int limit) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery(AUDIT).execute(Tuple.of(tenantId, alertId, limit + 1)))
        .compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(notFound(alertId));
      }
      List<JsonObject> entries = new ArrayList<>();
      for (Row row : rows) {
        if (row.getValue("audit_id") != null) {
          entries.add(auditJson(row));
        }
      }
      boolean truncated = entries.size() > limit;
      List<JsonObject> kept = truncated ? entries.subList(0, limit) : entries;
      JsonArray items = new JsonArray();
      for (int i = kept.size() - 1; i >= 0; i--) {
        items.add(kept.get(i));
      }
      return Future.succeededFuture(new JsonObject().put("items", items).put("truncated", truncated));
    });
  }

  // ---- transitions ----

  public Future<Change> acknowledge(String tenantId, UUID alertId, String actor, String note) {
    return transition(tenantId, alertId, AlertStatus.ACKNOWLEDGED, "acknowledged", actor, note);
  }

  public Future<Change> resolve(String tenantId, UUID alertId, String actor, String note) {
    return transition(tenantId, alertId, AlertStatus.RESOLVED, "resolved", actor, note);
  }

  private Future<Change> transition(String tenantId, UUID alertId, AlertStatus target, String action, String actor,
                                    String note) {
    Instant now = now();
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery(LOCK).execute(Tuple.of(tenantId, alertId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(notFound(alertId));
          }
          AlertStatus current = AlertStatus.valueOf(rows.iterator().next().getString(0));
          if (!current.canMoveTo(target)) {
            return Future.failedFuture(Failures.reject(Failures.CONFLICT, illegal(current, target)));
          }
          Tuple params = Tuple.tuple().addString(tenantId).addUUID(alertId).addString(target.name()).addString(action)
              .addOffsetDateTime(Times.utc(now)).addString(actor).addString(note).addString(current.name());
          return conn.preparedQuery(TRANSITION).execute(params);
        })
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Change(toJson(row), row.getLong("audit_id"), false);
        }));
  }

  private static String illegal(AlertStatus current, AlertStatus target) {
    if (current == target) {
      return "the alert is already " + current.name().toLowerCase();
    }
    return "a " + current.name().toLowerCase() + " alert cannot be " + target.name().toLowerCase();
  }

  private static Failures.Rejection notFound(UUID alertId) {
    return Failures.reject(Failures.NOT_FOUND, "no alert " + alertId);
  }

  // ---- JSON ----

  /** The alert JSON of DOMAIN.md ("Alerts"), plus who acknowledged and resolved it and when. */
  static JsonObject toJson(Row row) {
    Object evidence = row.getValue("evidence");
    JsonObject ev = evidence instanceof JsonObject e ? e : new JsonObject();
    Object ids = ev.getValue("eventIds");
    Object values = ev.getValue("values");
    Object subject = row.getValue("subject");
    return new JsonObject()
        .put("alertId", row.getUUID("alert_id").toString())
        .put("tenantId", row.getString("tenant_id"))
        .put("ruleId", row.getString("rule_id"))
        .put("severity", row.getString("severity"))
        .put("status", row.getString("status"))
        .put("subject", subject instanceof JsonObject s ? s : new JsonObject())
        .put("firstSeenAt", Times.format(row.getOffsetDateTime("first_seen_at")))
        .put("lastSeenAt", Times.format(row.getOffsetDateTime("last_seen_at")))
        .put("count", row.getLong("count"))
        .put("evidence", new JsonObject()
            .put("eventIds", ids instanceof JsonArray a ? a : new JsonArray())
            .put("values", values instanceof JsonObject v ? v : new JsonObject()))
        .put("explanation", row.getString("explanation"))
        .put("traceId", row.getString("trace_id"))
        .put("acknowledgedAt", Times.format(row.getOffsetDateTime("acknowledged_at")))
        .put("acknowledgedBy", row.getString("acknowledged_by"))
        .put("resolvedAt", Times.format(row.getOffsetDateTime("resolved_at")))
        .put("resolvedBy", row.getString("resolved_by"));
  }

  private static JsonObject auditJson(Row row) {
    Object details = row.getValue("details");
    return new JsonObject()
        .put("auditId", row.getLong("audit_id"))
        .put("action", row.getString("action"))
        .put("actor", row.getString("actor"))
        .put("note", row.getString("note"))
        .put("at", Times.format(row.getOffsetDateTime("at")))
        .put("statusBefore", row.getString("status_before"))
        .put("statusAfter", row.getString("status_after"))
        .put("details", details instanceof JsonObject d ? d : null);
  }
}
