package com.ott.contract;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The event types of schema v2, with their wire names. */
public enum EventType {
  PLAYBACK_START("playback.start"),
  PLAYBACK_HEARTBEAT("playback.heartbeat"),
  PLAYBACK_STOP("playback.stop"),
  AD_IMPRESSION("ad.impression"),
  CONSENT_UPDATE("consent.update"),
  AUTH_LOGIN("auth.login"),
  TRACKING_BEACON("tracking.beacon");

  private static final Map<String, EventType> BY_WIRE =
      Stream.of(values()).collect(Collectors.toUnmodifiableMap(EventType::wire, t -> t));

  private final String wire;

  EventType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public boolean isPlayback() {
    return this == PLAYBACK_START || this == PLAYBACK_HEARTBEAT || this == PLAYBACK_STOP;
  }

  /** The type of that wire name, or null. */
  public static EventType fromWire(String wire) {
    return wire == null ? null : BY_WIRE.get(wire);
  }
}
