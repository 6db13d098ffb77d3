package com.ott.store;

import com.ott.contract.EventFields;
import com.ott.runtime.Postgres;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Idempotent batch storage of events: one statement per chunk, all chunks in one transaction as the batch's tenant. */
public final class EventRepository {

  // unnest turns parallel arrays into rows, so a chunk is a single round trip
  private static final String INSERT = """
      INSERT INTO events (tenant_id, event_id, type, occurred_at, source, payload)
      SELECT $1, e.id, e.type, e.ts::timestamptz, $2, e.payload::jsonb
      FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS e(id, type, ts, payload)
      ON CONFLICT (tenant_id, event_id) DO NOTHING
      RETURNING event_id
      """;

  private final Pool pool;
  private final int chunkSize;

  public EventRepository(Pool pool, int chunkSize) {
    this.pool = pool;
    this.chunkSize = Math.max(1, chunkSize);
  }

  /** The ids newly stored; the others of the batch were stored before. */
  public record StoreResult(List<String> storedIds, int duplicates) {}

  public Future<StoreResult> store(String tenantId, String source, JsonArray events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(new StoreResult(List.of(), 0));
    }
    return Postgres.inTenant(pool, tenantId, conn -> insertChunks(conn, tenantId, source, events, 0, new ArrayList<>()))
        .map(ids -> new StoreResult(ids, events.size() - ids.size()));
  }

  private Future<List<String>> insertChunks(SqlConnection conn, String tenantId, String source, JsonArray events,
                                            int from, List<String> stored) {
    if (from >= events.size()) {
      return Future.succeededFuture(stored);
    }
    int to = Math.min(events.size(), from + chunkSize);
    int n = to - from;
    String[] ids = new String[n];
    String[] types = new String[n];
    String[] times = new String[n];
    String[] payloads = new String[n];
    for (int i = 0; i < n; i++) {
      JsonObject e = events.getJsonObject(from + i);
      ids[i] = e.getString(EventFields.EVENT_ID);
      types[i] = e.getString(EventFields.TYPE);
      times[i] = e.getString(EventFields.OCCURRED_AT);
      payloads[i] = e.encode();
    }
    return conn.preparedQuery(INSERT).execute(Tuple.of(tenantId, source, ids, types, times, payloads))
        .compose(rows -> {
          for (Row row : rows) {
            stored.add(row.getString(0));
          }
          return insertChunks(conn, tenantId, source, events, to, stored);
        });
  }

  /** The stored event, or null. */
  public Future<JsonObject> get(String tenantId, String eventId) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("""
            SELECT event_id, type, occurred_at, received_at, source, payload FROM events
            WHERE tenant_id = $1 AND event_id = $2""")
        .execute(Tuple.of(tenantId, eventId)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new JsonObject().put("eventId", r.getString(0)).put("type", r.getString(1))
              .put("occurredAt", r.getOffsetDateTime(2).toInstant().toString())
              .put("receivedAt", r.getOffsetDateTime(3).toInstant().toString())
              .put("source", r.getString(4)).put("payload", (JsonObject) r.getValue(5));
        });
  }

  public Future<Long> count(String tenantId) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("SELECT count(*) FROM events WHERE tenant_id = $1")
            .execute(Tuple.of(tenantId)))
        .map(rows -> rows.iterator().next().getLong(0));
  }
}
