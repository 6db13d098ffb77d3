package com.ott.store;

import com.ott.contract.Addresses;
import com.ott.contract.Failures;
import com.ott.runtime.OttConfig;
import com.ott.runtime.Postgres;
import com.ott.runtime.ProcessRuntime;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@link Addresses#STORE_EVENTS} (validated events of one tenant) and
 * stores them idempotently in PostgreSQL; replies only once they are committed.
 */
public class StoreVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StoreVerticle.class);

  private Pool pool;
  private EventRepository events;
  private Counter stored;
  private Counter duplicates;

  @Override
  public Future<?> start() {
    JsonObject pg = OttConfig.section(config(), "pg");
    String url = pg.getString("url");
    pool = Postgres.pool(vertx, pg, pg.getInteger("poolSize", 8));
    events = new EventRepository(pool, OttConfig.section(config(), "store").getInteger("insertChunk", 2000));
    var meters = ProcessRuntime.of(vertx).meters();
    stored = Counter.builder("ott_events_stored").description("events newly stored").register(meters);
    duplicates = Counter.builder("ott_events_duplicate").description("events already stored (replays)").register(meters);
    ProcessRuntime.of(vertx).readiness().register("postgresql", () -> Postgres.ping(pool));

    return Postgres.migrate(vertx, url, "store").compose(applied -> Postgres.verifyAppRole(pool)).compose(ok -> {
      vertx.eventBus().<JsonObject>consumer(Addresses.STORE_EVENTS, this::storeEvents);
      vertx.eventBus().<JsonObject>consumer(Addresses.STORE_COUNT, this::countEvents);
      vertx.eventBus().<JsonObject>consumer(Addresses.STORE_GET_EVENT, this::getEvent);
      return Future.succeededFuture();
    });
  }

  private void storeEvents(Message<JsonObject> message) {
    JsonObject body = message.body();
    String tenantId = body.getString("tenantId");
    JsonArray batch = body.getJsonArray("events");
    if (tenantId == null || batch == null) {
      message.fail(Failures.BAD_REQUEST, "tenantId and events are required");
      return;
    }
    events.store(tenantId, body.getString("source", "http"), batch).onComplete(ar -> {
      if (ar.succeeded()) {
        stored.increment(ar.result().storedIds().size());
        duplicates.increment(ar.result().duplicates());
        message.reply(new JsonObject()
            .put("stored", ar.result().storedIds().size())
            .put("duplicates", ar.result().duplicates())
            .put("storedIds", new JsonArray(ar.result().storedIds())));
      } else {
        LOG.warn("storing {} events of tenant {} failed: {}", batch.size(), tenantId, ar.cause().getMessage());
        Failures.replyFailure(message, ar.cause());
      }
    });
  }

  private void countEvents(Message<JsonObject> message) {
    events.count(message.body().getString("tenantId"))
        .onSuccess(n -> message.reply(new JsonObject().put("count", n)))
        .onFailure(err -> Failures.replyFailure(message, err));
  }

  private void getEvent(Message<JsonObject> message) {
    String tenantId = message.body().getString("tenantId");
    String eventId = message.body().getString("eventId");
    if (tenantId == null || eventId == null) {
      message.fail(Failures.BAD_REQUEST, "tenantId and eventId are required");
      return;
    }
    events.get(tenantId, eventId)
        .onSuccess(e -> {
          if (e == null) {
            message.fail(Failures.NOT_FOUND, "no event " + (eventId.length() > 128 ? eventId.substring(0, 128) : eventId));
          } else {
            message.reply(e);
          }
        })
        .onFailure(err -> Failures.replyFailure(message, err));
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
