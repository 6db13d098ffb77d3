package com.ott.contract;

import java.util.Set;

/** Field names of schema v2. */
public final class EventFields {
  private EventFields() {}

  public static final String EVENT_ID = "eventId";
  public static final String TYPE = "type";
  public static final String OCCURRED_AT = "occurredAt";
  public static final String ACCOUNT_ID = "accountId";
  public static final String DEVICE_ID = "deviceId";
  public static final String IP = "ip";
  public static final String ATTRIBUTES = "attributes";

  /** Every top-level field the schema knows; anything else moves into {@code attributes}. */
  public static final Set<String> KNOWN = Set.of(
      "eventId", "type", "occurredAt", "accountId", "profileId", "profileMaturity", "deviceId",
      "sessionId", "ip", "country", "contentId", "vpn", "adDurationSec", "adPersonalized", "consent",
      "pinVerified", "captions", "thirdParty", "personalIds", "attributes");

  /** Fields that hold personal data (tokenised before rules, encrypted at rest). */
  public static final Set<String> PERSONAL = Set.of(ACCOUNT_ID, DEVICE_ID, IP);
}
