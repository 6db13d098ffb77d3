package com.ott.app.demo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.SplittableRandom;

/** A simple stream of plausible events for the demo tenant. */
final class DemoTraffic {
  private static final String[] COUNTRIES = {"US", "GB", "FR", "DE", "ES", "IT", "NL", "CA", "BR", "JP"};
  private static final String[] TYPES = {"playback.start", "playback.heartbeat", "playback.heartbeat", "playback.stop",
      "ad.impression", "consent.update", "auth.login", "tracking.beacon"};

  private final SplittableRandom random;
  private final String run;
  private long sequence;

  DemoTraffic(long seed) {
    this.random = new SplittableRandom(seed);
    this.run = Long.toHexString(seed);
  }

  Buffer nextNdjson(int n) {
    Buffer out = Buffer.buffer(n * 300);
    for (int i = 0; i < n; i++) {
      out.appendString(next().encode()).appendByte((byte) '\n');
    }
    return out;
  }

  JsonObject next() {
    int account = random.nextInt(500);
    String type = TYPES[random.nextInt(TYPES.length)];
    JsonObject e = new JsonObject()
        .put("eventId", "demo-" + run + "-" + (sequence++))
        .put("type", type)
        .put("occurredAt", Instant.now().toString())
        .put("accountId", "acct-" + account)
        .put("deviceId", "dev-" + account + "-" + random.nextInt(3))
        .put("ip", "198.51." + (account % 200) + "." + random.nextInt(1, 255));
    switch (type) {
      case "playback.start", "playback.heartbeat", "playback.stop" -> {
        e.put("sessionId", "sess-" + account + "-" + random.nextInt(4)).put("contentId", "title-" + random.nextInt(200));
        if (type.equals("playback.start")) {
          e.put("country", COUNTRIES[random.nextInt(COUNTRIES.length)]).put("captions", random.nextInt(10) > 0);
        }
      }
      case "ad.impression" -> e.put("contentId", "title-" + random.nextInt(200)).put("adDurationSec", 15 + random.nextInt(4) * 15)
          .put("adPersonalized", random.nextBoolean()).put("thirdParty", "vendor-" + random.nextInt(20)).put("personalIds", random.nextBoolean());
      case "consent.update" -> e.put("consent", new JsonObject().put("gdprApplies", random.nextBoolean()).put("usPrivacy", "1YNN"));
      case "tracking.beacon" -> e.put("thirdParty", "vendor-" + random.nextInt(20)).put("personalIds", random.nextBoolean());
      default -> { }
    }
    return e;
  }
}
