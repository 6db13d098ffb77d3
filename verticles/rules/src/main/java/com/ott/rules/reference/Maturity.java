package com.ott.rules.reference;

import java.util.Locale;
import java.util.Map;

/** Maturity tiers of profiles and titles, lowest first; a profile may watch its tier and below. */
public enum Maturity {
  LITTLE_KIDS, OLDER_KIDS, TEENS, ADULTS;

  // the tiers of the large US services (DOMAIN.md); unrated titles are for adults
  private static final Map<String, Maturity> BY_RATING = Map.ofEntries(
      Map.entry("G", LITTLE_KIDS), Map.entry("TV-Y", LITTLE_KIDS), Map.entry("TV-G", LITTLE_KIDS),
      Map.entry("PG", OLDER_KIDS), Map.entry("TV-Y7", OLDER_KIDS), Map.entry("TV-Y7-FV", OLDER_KIDS),
      Map.entry("TV-PG", OLDER_KIDS),
      Map.entry("PG-13", TEENS), Map.entry("TV-14", TEENS),
      Map.entry("R", ADULTS), Map.entry("NC-17", ADULTS), Map.entry("TV-MA", ADULTS),
      Map.entry("NR", ADULTS), Map.entry("UR", ADULTS));

  public boolean isKids() {
    return this == LITTLE_KIDS || this == OLDER_KIDS;
  }

  /** True when a title of tier {@code title} is above this profile tier. */
  public boolean below(Maturity title) {
    return title.ordinal() > ordinal();
  }

  /** The tier of a rating; unknown ratings are treated as unrated (adults). */
  public static Maturity ofRating(String rating) {
    if (rating == null) {
      return ADULTS;
    }
    Maturity m = BY_RATING.get(rating.trim().toUpperCase(Locale.ROOT));
    return m == null ? ADULTS : m;
  }

  public static boolean isKnownRating(String rating) {
    return rating != null && BY_RATING.containsKey(rating.trim().toUpperCase(Locale.ROOT));
  }

  /** The tier of that name, or null. */
  public static Maturity parse(String name) {
    if (name == null) {
      return null;
    }
    try {
      return valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
