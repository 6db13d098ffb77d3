package com.ott.contract;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Event batches cross the bus of one JVM by reference: the default JSON codec
 * deep-copies every message, which on the event path (ingestion -> encryption ->
 * store -> rules) cost more CPU than any stage's own work. Between JVMs they
 * travel as JSON, as always. A sender hands the batch over and does not touch it
 * again; a receiver may change it in place.
 */
public final class SharedJson implements MessageCodec<JsonObject, JsonObject> {
  public static final String CODEC = "ott-json-by-reference";

  private SharedJson() {}

  /** Registers the codec once per Vert.x instance (every process does at start; this covers tests too). */
  public static void register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new SharedJson());
    } catch (IllegalStateException alreadyRegistered) {
      // registered by the process or by an earlier verticle: nothing to do
    }
  }

  /** Delivery options that pass the JSON body by reference within the JVM. */
  public static DeliveryOptions options(Vertx vertx, long timeoutMs) {
    register(vertx);
    return new DeliveryOptions().setCodecName(CODEC).setSendTimeout(timeoutMs);
  }

  @Override
  public void encodeToWire(Buffer buffer, JsonObject json) {
    Buffer encoded = json.toBuffer();
    buffer.appendInt(encoded.length()).appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
  }

  @Override
  public JsonObject transform(JsonObject json) {
    return json;
  }

  @Override
  public String name() {
    return CODEC;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
