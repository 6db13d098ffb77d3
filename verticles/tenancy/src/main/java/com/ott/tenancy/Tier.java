package com.ott.tenancy;

/** The tiers a tenant can buy. */
public enum Tier {
  FREE, STANDARD, PREMIUM, ENTERPRISE;

  /** The tier of that name (case-insensitive), or null. */
  public static Tier parse(String name) {
    if (name == null) {
      return null;
    }
    for (Tier t : values()) {
      if (t.name().equalsIgnoreCase(name.trim())) {
        return t;
      }
    }
    return null;
  }
}
