package com.ott.contract;

/** The body formats of an event batch, negotiated from the content type. */
public enum BatchFormat {
  /** A JSON array of events (or a single event object). */
  JSON,
  /** One JSON event per line. */
  NDJSON;

  /** The format of a content type, or a 415 rejection naming the accepted ones. */
  public static BatchFormat of(String contentType) {
    String base = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return switch (base) {
      case "application/json" -> JSON;
      case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines" -> NDJSON;
      default -> throw Failures.reject(Failures.UNSUPPORTED_MEDIA_TYPE,
          "content type must be application/json (an array of events) or application/x-ndjson (one event per line)"
              + (base.isEmpty() ? ", none was given" : ", not " + (base.length() > 80 ? base.substring(0, 80) + "..." : base)));
    };
  }
}
