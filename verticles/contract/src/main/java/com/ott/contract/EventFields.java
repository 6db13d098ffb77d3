package com.ott.contract;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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

  /** The always-personal fields in the order they are protected. */
  public static final List<String> PERSONAL_ORDER = List.of(ACCOUNT_ID, DEVICE_ID, IP);

  /** Fields that bind or route an event (and the encryption stage's own): never personal. */
  private static final Set<String> NEVER_PERSONAL = Set.of(EVENT_ID, TYPE, OCCURRED_AT, ATTRIBUTES, "sealed", "ipNet");
  private static final String ATTRIBUTES_PREFIX = ATTRIBUTES + ".";
  /** How many extra personal fields a tenant may name. */
  public static final int MAX_EXTRA_PERSONAL = 32;

  /**
   * The personal fields of a tenant that names {@code extra} ones (a top-level field, or {@code attributes.<name>}
   * for one inside attributes): the always-personal fields first, then the extra ones in order, without repeats.
   * A name that cannot be personal is a 400 naming it.
   */
  public static List<String> personalFields(Collection<?> extra) {
    List<String> fields = new ArrayList<>(PERSONAL_ORDER);
    if (extra == null) {
      return fields;
    }
    if (extra.size() > MAX_EXTRA_PERSONAL) {
      throw Failures.reject(Failures.BAD_REQUEST, "personalFields: at most " + MAX_EXTRA_PERSONAL + " fields");
    }
    for (Object o : extra) {
      if (!(o instanceof String name) || name.isBlank() || name.length() > 128) {
        throw Failures.reject(Failures.BAD_REQUEST, "personalFields: each must be a field name of at most 128 characters");
      }
      boolean nested = name.startsWith(ATTRIBUTES_PREFIX) && name.length() > ATTRIBUTES_PREFIX.length()
          && name.indexOf('.', ATTRIBUTES_PREFIX.length()) < 0;
      if (NEVER_PERSONAL.contains(name) || (name.contains(".") && !nested)) {
        throw Failures.reject(Failures.BAD_REQUEST, "personalFields: " + name
            + " cannot be personal (use a top-level field other than eventId, type, occurredAt, or attributes.<name>)");
      }
      if (!fields.contains(name)) {
        fields.add(name);
      }
    }
    return fields;
  }
}
