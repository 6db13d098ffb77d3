package com.ott.encryption;

import com.ott.contract.Failures;
import com.ott.runtime.Postgres;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-encrypts a tenant's stored sealed fields under its newest AEAD key, after a rotation, without downtime:
 * it walks the table in event-id order one batch at a time, rewrites only the rows whose ciphertexts were made
 * with an older key, and each rewrite is one short statement that applies only if the row's {@code sealed} is
 * still what was read (a row changed meanwhile is skipped, and stays readable: old keys still decrypt).
 * Tokens are not touched (they do not depend on the AEAD key). Progress is kept in {@code rewrap_jobs}.
 */
public final class RewrapJob {
  private static final Logger LOG = LoggerFactory.getLogger(RewrapJob.class);

  private final Vertx vertx;
  private final Pool pool;
  private final TenantKeyring keyring;
  private final String tenantId;
  private final String table;
  private final int batchSize;
  private final String jobId = UUID.randomUUID().toString();
  private final Promise<JsonObject> finished = Promise.promise();
  private final Instant startedAt = Instant.now();
  private String status = "RUNNING";
  private long primaryKeyId;
  private long scanned;
  private long rewrapped;
  private long upToDate;
  private long skipped;
  private long failed;
  private String lastEventId = "";
  private String error;
  private Instant finishedAt;

  /** {@code table} must be a safe table name ({@link EncryptionSettings#table}). */
  public RewrapJob(Vertx vertx, Pool pool, TenantKeyring keyring, String tenantId, String table, int batchSize) {
    this.vertx = vertx;
    this.pool = pool;
    this.keyring = keyring;
    this.tenantId = tenantId;
    this.table = EncryptionSettings.table(table, "table");
    this.batchSize = batchSize;
  }

  public String jobId() {
    return jobId;
  }

  public String tenantId() {
    return tenantId;
  }

  public String table() {
    return table;
  }

  /** Starts the job; the future completes with the final progress when it is DONE or FAILED. */
  public Future<JsonObject> start() {
    keyring.existingKeys(tenantId)
        .compose(keys -> {
          primaryKeyId = keys.primaryKeyId();
          return Postgres.inTenant(pool, tenantId, conn -> conn
              .preparedQuery("INSERT INTO rewrap_jobs (job_id, tenant_id, table_name, status, primary_key_id) "
                  + "VALUES ($1, $2, $3, 'RUNNING', $4)").execute(Tuple.of(jobId, tenantId, table, primaryKeyId)));
        })
        .compose(x -> nextBatch())
        .onComplete(ar -> finish(ar.failed() ? ar.cause() : null));
    return finished.future();
  }

  /** The job's result, once it ends. */
  public Future<JsonObject> finished() {
    return finished.future();
  }

  public boolean running() {
    return "RUNNING".equals(status);
  }

  /** {@code {jobId, tenantId, table, status, primaryKeyId, scanned, rewrapped, upToDate, skipped, failed, startedAt, finishedAt?, error?}} */
  public JsonObject progress() {
    JsonObject p = new JsonObject()
        .put("jobId", jobId).put("tenantId", tenantId).put("table", table).put("status", status)
        .put("primaryKeyId", primaryKeyId).put("scanned", scanned).put("rewrapped", rewrapped)
        .put("upToDate", upToDate).put("skipped", skipped).put("failed", failed)
        .put("startedAt", startedAt.toString());
    if (finishedAt != null) {
      p.put("finishedAt", finishedAt.toString());
    }
    if (error != null) {
      p.put("error", error);
    }
    return p;
  }

  /**
   * A job's progress as stored, for a job another instance runs or ran; null when unknown. The admin asks by job
   * id alone: the directory function {@code ott_rewrap_job_tenant} names the job's tenant, the row is read as it.
   */
  public static Future<JsonObject> stored(Pool pool, String jobId) {
    return pool.preparedQuery("SELECT ott_rewrap_job_tenant($1)").execute(Tuple.of(jobId)).compose(owner -> {
      String tenant = owner.iterator().next().getString(0);
      return tenant == null ? Future.succeededFuture(null) : Postgres.inTenant(pool, tenant, conn -> conn
          .preparedQuery("SELECT * FROM rewrap_jobs WHERE job_id = $1").execute(Tuple.of(jobId)));
    }).map(rows -> {
      if (rows == null || rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      JsonObject p = new JsonObject()
          .put("jobId", r.getString("job_id")).put("tenantId", r.getString("tenant_id"))
          .put("table", r.getString("table_name")).put("status", r.getString("status"))
          .put("primaryKeyId", r.getLong("primary_key_id")).put("scanned", r.getLong("scanned"))
          .put("rewrapped", r.getLong("rewrapped")).put("upToDate", r.getLong("up_to_date"))
          .put("skipped", r.getLong("skipped")).put("failed", r.getLong("failed"))
          .put("startedAt", r.getOffsetDateTime("started_at").toInstant().toString());
      if (r.getOffsetDateTime("finished_at") != null) {
        p.put("finishedAt", r.getOffsetDateTime("finished_at").toInstant().toString());
      }
      if (r.getString("error") != null) {
        p.put("error", r.getString("error"));
      }
      return p;
    });
  }

  private record Change(String eventId, Object before, String after) {}

  private record BatchResult(List<Change> changes, int upToDate, int failed) {}

  private Future<Void> nextBatch() {
    return Postgres.inTenant(pool, tenantId, conn -> conn
            .preparedQuery("SELECT event_id, payload -> 'sealed' AS sealed FROM " + table
                + " WHERE tenant_id = $1 AND event_id > $2 AND payload ? 'sealed' ORDER BY event_id LIMIT $3")
            .execute(Tuple.of(tenantId, lastEventId, batchSize)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture();
          }
          List<String> ids = new ArrayList<>(rows.size());
          List<Object> sealed = new ArrayList<>(rows.size());
          rows.forEach(r -> {
            ids.add(r.getString("event_id"));
            sealed.add(r.getValue("sealed"));
          });
          // keys fetched per batch: a rotation during the job moves the target to the newer key
          return keyring.existingKeys(tenantId)
              .compose(keys -> vertx.executeBlocking(() -> reseal(keys, ids, sealed), false)
                  .compose(result -> write(result).map(written -> {
                    primaryKeyId = keys.primaryKeyId();
                    scanned += ids.size();
                    rewrapped += written;
                    skipped += result.changes().size() - written;
                    upToDate += result.upToDate();
                    failed += result.failed();
                    lastEventId = ids.get(ids.size() - 1);
                    LOG.debug("rewrap {} of tenant {}: scanned {}, rewrapped {}", jobId, tenantId, scanned, rewrapped);
                    return null;
                  })))
              .compose(x -> saveProgress())
              .compose(x -> rows.size() < batchSize ? Future.succeededFuture() : nextBatch());
        });
  }

  private BatchResult reseal(TenantKeys keys, List<String> ids, List<Object> sealed) {
    EventProtector protector = new EventProtector(keys);
    List<Change> changes = new ArrayList<>();
    int current = 0;
    int bad = 0;
    for (int i = 0; i < ids.size(); i++) {
      Object before = sealed.get(i);
      if (!(before instanceof JsonObject) && !(before instanceof String)) {
        bad++;
        continue;
      }
      try {
        String after = protector.reseal(ids.get(i), before);
        if (after == null) {
          current++;
        } else {
          changes.add(new Change(ids.get(i), before, after));
        }
      } catch (Failures.Rejection e) {
        bad++;
        LOG.warn("rewrap tenant {}: {}", tenantId, e.getMessage());
      }
    }
    return new BatchResult(changes, current, bad);
  }

  private Future<Integer> write(BatchResult result) {
    if (result.changes().isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<Tuple> tuples = new ArrayList<>(result.changes().size());
    for (Change c : result.changes()) {
      tuples.add(Tuple.of(tenantId, c.eventId(), c.after(), c.before()));
    }
    return Postgres.inTenant(pool, tenantId, conn -> conn
            .preparedQuery("UPDATE " + table + " SET payload = jsonb_set(payload, '{sealed}', $3::jsonb) "
                + "WHERE tenant_id = $1 AND event_id = $2 AND payload -> 'sealed' = $4::jsonb")
            .executeBatch(tuples))
        .map(rs -> {
          int n = 0;
          for (RowSet<Row> r = rs; r != null; r = r.next()) {
            n += r.rowCount();
          }
          return n;
        });
  }

  private Future<Void> saveProgress() {
    Tuple progress = Tuple.from(List.of(jobId, status, primaryKeyId, scanned, rewrapped, upToDate, skipped, failed,
        lastEventId)).addValue(error);
    return Postgres.inTenant(pool, tenantId, conn -> conn
            .preparedQuery("UPDATE rewrap_jobs SET status = $2, primary_key_id = $3, scanned = $4, rewrapped = $5, "
                + "up_to_date = $6, skipped = $7, failed = $8, last_event_id = $9, error = $10, updated_at = now(), "
                + "finished_at = CASE WHEN $2 = 'RUNNING' THEN NULL ELSE now() END WHERE job_id = $1")
            .execute(progress))
        .mapEmpty();
  }

  private void finish(Throwable cause) {
    status = cause == null ? "DONE" : "FAILED";
    error = cause == null ? null : (cause instanceof Failures.Rejection ? cause.getMessage() : "rewrap stopped: " + cause.getMessage());
    finishedAt = Instant.now();
    LOG.info("rewrap {} of tenant {} in {}: {} (scanned {}, rewrapped {}, up to date {}, skipped {}, failed {})",
        jobId, tenantId, table, status, scanned, rewrapped, upToDate, skipped, failed);
    saveProgress()
        .onComplete(x -> finished.complete(progress()));
  }
}
