package com.ott.rules.reference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Validation of the bodies of {@code PUT /api/v2/catalog} and {@code PUT /api/v2/accounts}:
 * every invalid entry is reported with its index, id and field-level messages.
 */
public final class ReferenceBodies {
  private static final Set<String> TITLE_FIELDS = Set.of("contentId", "title", "rating", "territories",
      "availableFrom", "availableUntil", "requiresCaptions", "kidsContent", "blockAnonymizers");
  private static final Set<String> ACCOUNT_FIELDS = Set.of("accountId", "plan", "maxStreams", "residence", "profiles");
  private static final int MAX_ID = 256;

  private ReferenceBodies() {}

  /**
   * The valid entries and, for each invalid one, {@code {"index": i, "id": "..", "errors": ["field: reason"]}}.
   * Nothing is stored when {@code errors} is not empty (the caller answers with a problem document).
   */
  public record Parsed<T>(List<T> entries, JsonArray errors) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  public static Parsed<Title> titles(JsonArray body) {
    return parse(body, "contentId", ReferenceBodies::title);
  }

  public static Parsed<Account> accounts(JsonArray body) {
    return parse(body, "accountId", ReferenceBodies::account);
  }

  private static <T> Parsed<T> parse(JsonArray body, String idField, BiFunction<JsonObject, List<String>, T> one) {
    List<T> entries = new ArrayList<>();
    JsonArray errors = new JsonArray();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < body.size(); i++) {
      Object item = body.getValue(i);
      List<String> problems = new ArrayList<>();
      T entry = null;
      String id = null;
      if (item instanceof JsonObject json) {
        id = json.getValue(idField) instanceof String s ? s : null;
        entry = one.apply(json, problems);
        if (id != null && !seen.add(id)) {
          problems.add(idField + ": appears more than once in this request");
        }
      } else {
        problems.add("entry: not a JSON object");
      }
      if (problems.isEmpty()) {
        entries.add(entry);
      } else {
        JsonObject error = new JsonObject().put("index", i);
        if (id != null) {
          error.put("id", id);
        }
        errors.add(error.put("errors", new JsonArray(problems)));
      }
    }
    return new Parsed<>(entries, errors);
  }

  private static Title title(JsonObject json, List<String> problems) {
    unknownFields(json, TITLE_FIELDS, problems);
    String contentId = id(json, "contentId", problems);
    String name = string(json, "title", true, 512, problems);
    String rating = string(json, "rating", true, 16, problems);
    if (rating != null && !Maturity.isKnownRating(rating)) {
      problems.add("rating: unknown rating '" + rating + "' (expected one of G, PG, PG-13, R, NC-17, TV-Y, TV-Y7, "
          + "TV-Y7-FV, TV-G, TV-PG, TV-14, TV-MA, NR, UR)");
    }
    Set<String> territories = null;
    Object t = json.getValue("territories");
    if (t == null) {
      problems.add("territories: required (a list of ISO 3166-1 alpha-2 codes, or \"*\")");
    } else if (t instanceof String s) {
      if (!s.equals("*")) {
        problems.add("territories: must be \"*\" or a list of ISO 3166-1 alpha-2 codes");
      }
    } else if (t instanceof JsonArray codes) {
      territories = new HashSet<>();
      if (codes.isEmpty()) {
        problems.add("territories: must not be empty");
      }
      for (int i = 0; i < codes.size(); i++) {
        Object code = codes.getValue(i);
        if (code instanceof String c && Countries.isKnown(c)) {
          territories.add(c);
        } else {
          problems.add("territories[" + i + "]: not an ISO 3166-1 alpha-2 country code: " + code);
        }
      }
    } else {
      problems.add("territories: must be \"*\" or a list of ISO 3166-1 alpha-2 codes");
    }
    Instant from = time(json, "availableFrom", problems);
    Instant until = time(json, "availableUntil", problems);
    if (from != null && until != null && !from.isBefore(until)) {
      problems.add("availableUntil: must be after availableFrom");
    }
    boolean captions = bool(json, "requiresCaptions", problems);
    boolean kids = bool(json, "kidsContent", problems);
    boolean anonymizers = bool(json, "blockAnonymizers", problems);
    return problems.isEmpty()
        ? new Title(contentId, name, rating.trim().toUpperCase(java.util.Locale.ROOT), territories, from, until,
            captions, kids, anonymizers)
        : null;
  }

  private static Account account(JsonObject json, List<String> problems) {
    unknownFields(json, ACCOUNT_FIELDS, problems);
    String accountId = id(json, "accountId", problems);
    String plan = string(json, "plan", false, 64, problems);
    Integer maxStreams = null;
    Object m = json.getValue("maxStreams");
    if (m != null) {
      if (m instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() >= 1
          && n.intValue() <= 100) {
        maxStreams = n.intValue();
      } else {
        problems.add("maxStreams: must be an integer from 1 to 100");
      }
    }
    String residence = string(json, "residence", false, 2, problems);
    if (residence != null && !Countries.isKnown(residence)) {
      problems.add("residence: not an ISO 3166-1 alpha-2 country code: " + residence);
    }
    Map<String, Maturity> profiles = new HashMap<>();
    Object p = json.getValue("profiles");
    if (p instanceof JsonObject map) {
      for (Map.Entry<String, Object> e : map) {
        Maturity maturity = e.getValue() instanceof String s ? Maturity.parse(s) : null;
        if (maturity == null) {
          problems.add("profiles." + e.getKey() + ": must be one of LITTLE_KIDS, OLDER_KIDS, TEENS, ADULTS");
        } else if (e.getKey().isEmpty() || e.getKey().length() > MAX_ID) {
          problems.add("profiles: profile ids must be 1 to " + MAX_ID + " characters");
        } else {
          profiles.put(e.getKey(), maturity);
        }
      }
    } else if (p != null) {
      problems.add("profiles: must be an object of profileId to maturity");
    }
    return problems.isEmpty() ? new Account(accountId, plan, maxStreams, residence, profiles) : null;
  }

  private static void unknownFields(JsonObject json, Set<String> known, List<String> problems) {
    for (String field : json.fieldNames()) {
      if (!known.contains(field)) {
        problems.add(field + ": unknown field");
      }
    }
  }

  private static String id(JsonObject json, String field, List<String> problems) {
    return string(json, field, true, MAX_ID, problems);
  }

  private static String string(JsonObject json, String field, boolean required, int max, List<String> problems) {
    Object v = json.getValue(field);
    if (v == null) {
      if (required) {
        problems.add(field + ": required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      problems.add(field + ": must be a string");
      return null;
    }
    if (s.isEmpty() || s.length() > max) {
      problems.add(field + ": must be 1 to " + max + " characters");
      return null;
    }
    return s;
  }

  private static Instant time(JsonObject json, String field, List<String> problems) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      try {
        return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        // fall through
      }
    }
    problems.add(field + ": not an RFC 3339 timestamp");
    return null;
  }

  private static boolean bool(JsonObject json, String field, List<String> problems) {
    Object v = json.getValue(field);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    problems.add(field + ": must be true or false");
    return false;
  }
}
