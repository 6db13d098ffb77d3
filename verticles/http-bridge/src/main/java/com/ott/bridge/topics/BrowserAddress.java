package com.ott.bridge.topics;

import com.ott.contract.Addresses;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A per-tenant address a browser may listen on: {@code ott.alerts.<tenantId>} or {@code ott.metrics.<tenantId>}. */
public record BrowserAddress(Kind kind, String tenantId) {
  public enum Kind { ALERTS, METRICS }

  /** The bridge's outbound permission, as a regular expression over whole addresses. */
  public static final String REGEX = "ott\\.(alerts|metrics)\\.[A-Za-z0-9_-]{1,128}";
  private static final Pattern PATTERN = Pattern.compile(REGEX);

  /** The address parsed, or null when it is not a browser address. */
  public static BrowserAddress parse(String address) {
    if (address == null) {
      return null;
    }
    Matcher m = PATTERN.matcher(address);
    if (!m.matches()) {
      return null;
    }
    Kind kind = address.startsWith("ott.alerts.") ? Kind.ALERTS : Kind.METRICS;
    return new BrowserAddress(kind, address.substring(address.indexOf('.', 4) + 1));
  }

  public static String of(Kind kind, String tenantId) {
    return kind == Kind.ALERTS ? Addresses.alerts(tenantId) : Addresses.metrics(tenantId);
  }

  public String address() {
    return of(kind, tenantId);
  }

  /** Alert changes carry a seq and are replayed on reconnect; metric updates are live only. */
  public boolean replayable() {
    return kind == Kind.ALERTS;
  }
}
