package com.ott.store.reports;

import com.ott.contract.Failures;
import com.ott.runtime.Postgres;
import com.ott.store.alerts.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The compliance report of a tenant for a period [from, to):
 * <ul>
 *   <li>{@code events}: events processed, by type (by event time, {@code occurredAt});</li>
 *   <li>{@code violations}: alerts of the compliance rules first seen in the period, per rule and severity:
 *       {@code alerts} (alerts opened) and {@code findings} (the findings those alerts gathered so far);</li>
 *   <li>{@code topSubjects}: the 10 subjects with the most such alerts;</li>
 *   <li>{@code handlingTimes}: OPEN->ACKNOWLEDGED, ACKNOWLEDGED->RESOLVED and OPEN->RESOLVED from the audit trail,
 *       over the transitions completed in the period: count, median and 90th percentile in seconds
 *       (continuous percentiles, rounded to milliseconds; null when there is none);</li>
 *   <li>{@code anomalies}: alerts of the anomaly models ({@code ruleId} {@code anomaly.*}) first seen in the period,
 *       per rule and severity (they are not counted in violations or top subjects).</li>
 * </ul>
 * Every section is read in one REPEATABLE READ snapshot and ordered without ties, so the same
 * period over the same data gives the same report; only {@code generatedAt} differs, and the CSV
 * leaves it out. Once a period is over its numbers stay fixed, except {@code findings}, which
 * grows while an alert opened in the period keeps receiving findings.
 *
 * <p>CSV ({@link #toCsv}): RFC 4180, UTF-8, CRLF, header {@code section,key,severity,metric,value},
 * one value per row, in the order of the JSON:
 * <pre>
 * section         key                                   severity  metric                       value
 * report          tenantId | from | to                  -         -                            text
 * events          event type, or (total)                -         count                        integer
 * violations      rule id, or (total)                   severity  alerts | findings            integer
 * top_subjects    subject key (accountToken=..|..)      -         alerts | findings            integer
 * handling_times  OPEN->ACKNOWLEDGED | ..                -         count | median_seconds | p90_seconds  number, empty when none
 * anomalies       rule id, or (total)                   severity  alerts | findings            integer
 * </pre>
 * A text cell starting with {@code = + - @} gets a leading {@code '} so that spreadsheets do not run it.
 */
public final class ComplianceReport {
  public static final Duration MAX_PERIOD = Duration.ofDays(366);
  public static final int TOP_SUBJECTS = 10;
  public static final String TOTAL = "(total)";
  public static final List<String> TRANSITIONS = List.of("OPEN->ACKNOWLEDGED", "ACKNOWLEDGED->RESOLVED", "OPEN->RESOLVED");
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
  private static final String SUBJECT_NONE = "(none)";
  private static final List<String> SUBJECT_FIELDS = List.of("accountToken", "contentId", "sessionId", "series");

  private static final String EVENTS = """
      SELECT type, count(*) AS n FROM events
      WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3
      GROUP BY type ORDER BY type COLLATE "C"
      """;

  private static final String ALERTS_BY_RULE = """
      SELECT rule_id, severity, count(*) AS alerts, sum(count)::bigint AS findings
      FROM alerts
      WHERE tenant_id = $1 AND first_seen_at >= $2 AND first_seen_at < $3
      GROUP BY rule_id, severity
      ORDER BY rule_id COLLATE "C", array_position(ARRAY['HIGH', 'MEDIUM', 'LOW'], severity)
      """;

  private static final String TOP = """
      SELECT subject, count(*) AS alerts, sum(count)::bigint AS findings
      FROM alerts
      WHERE tenant_id = $1 AND first_seen_at >= $2 AND first_seen_at < $3 AND rule_id NOT LIKE 'anomaly.%'
      GROUP BY subject
      ORDER BY alerts DESC, findings DESC, subject::text COLLATE "C"
      LIMIT $4
      """;

  // each transition completed in the period, timed from the audit entry that started it
  private static final String HANDLING = """
      WITH durations AS (
        SELECT 0 AS step, extract(epoch FROM done.at - start.at)::float8 AS s
        FROM alert_audit done JOIN alert_audit start ON start.alert_id = done.alert_id AND start.action = 'created'
        WHERE done.tenant_id = $1 AND done.action = 'acknowledged' AND done.at >= $2 AND done.at < $3
        UNION ALL
        SELECT 1, extract(epoch FROM done.at - start.at)::float8
        FROM alert_audit done JOIN alert_audit start ON start.alert_id = done.alert_id AND start.action = 'acknowledged'
        WHERE done.tenant_id = $1 AND done.action = 'resolved' AND done.at >= $2 AND done.at < $3
        UNION ALL
        SELECT 2, extract(epoch FROM done.at - start.at)::float8
        FROM alert_audit done JOIN alert_audit start ON start.alert_id = done.alert_id AND start.action = 'created'
        WHERE done.tenant_id = $1 AND done.action = 'resolved' AND done.at >= $2 AND done.at < $3
      )
      SELECT step, count(*) AS n,
             round((percentile_cont(0.5) WITHIN GROUP (ORDER BY s))::numeric, 3) AS median,
             round((percentile_cont(0.9) WITHIN GROUP (ORDER BY s))::numeric, 3) AS p90
      FROM durations GROUP BY step ORDER BY step
      """;

  /** A checked report period. */
  public record Period(Instant from, Instant to) {
    /** Reads RFC 3339 bounds; a 400 rejection names the field when they are missing, malformed, reversed or too far apart. */
    public static Period of(Object from, Object to) {
      List<String> errors = new ArrayList<>();
      Instant f = from instanceof String s ? Times.parse(s) : null;
      Instant t = to instanceof String s ? Times.parse(s) : null;
      if (f == null) {
        errors.add("from: required, an RFC 3339 timestamp with offset");
      }
      if (t == null) {
        errors.add("to: required, an RFC 3339 timestamp with offset");
      }
      if (f != null && t != null) {
        if (!t.isAfter(f)) {
          errors.add("to: must be after from");
        } else if (Duration.between(f, t).compareTo(MAX_PERIOD) > 0) {
          errors.add("to: the period is at most " + MAX_PERIOD.toDays() + " days");
        }
      }
      if (!errors.isEmpty()) {
        throw Failures.reject(Failures.BAD_REQUEST, String.join("; ", errors));
      }
      return new Period(f, t);
    }
  }

  private final Pool pool;
  private final Clock clock;

  public ComplianceReport(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** The report as JSON (see the class comment). */
  public Future<JsonObject> generate(String tenantId, Period period) {
    Tuple range = Tuple.of(tenantId, period.from().atOffset(ZoneOffset.UTC), period.to().atOffset(ZoneOffset.UTC));
    JsonObject report = new JsonObject()
        .put("tenantId", tenantId)
        .put("from", period.from().toString())
        .put("to", period.to().toString())
        .put("generatedAt", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
    // one snapshot for every section: the numbers agree with each other
    return Postgres.inTenant(pool, tenantId, "ISOLATION LEVEL REPEATABLE READ, READ ONLY", conn -> conn.preparedQuery(EVENTS).execute(range).map(rows -> report.put("events", events(rows)))
        .compose(x -> conn.preparedQuery(ALERTS_BY_RULE).execute(range)).map(rows -> byRule(report, rows))
        .compose(x -> top(conn, range)).map(top -> report.put("topSubjects", top))
        .compose(x -> conn.preparedQuery(HANDLING).execute(range)).map(rows -> report.put("handlingTimes", handling(rows))));
  }

  private static JsonObject events(RowSet<Row> rows) {
    JsonArray byType = new JsonArray();
    long total = 0;
    for (Row row : rows) {
      long n = row.getLong("n");
      total += n;
      byType.add(new JsonObject().put("type", row.getString("type")).put("count", n));
    }
    return new JsonObject().put("total", total).put("byType", byType);
  }

  private static JsonObject byRule(JsonObject report, RowSet<Row> rows) {
    JsonObject violations = section();
    JsonObject anomalies = section();
    for (Row row : rows) {
      String ruleId = row.getString("rule_id");
      JsonObject target = ruleId.startsWith("anomaly.") ? anomalies : violations;
      long alerts = row.getLong("alerts");
      long findings = row.getLong("findings");
      target.getJsonArray("byRule").add(new JsonObject().put("ruleId", ruleId).put("severity", row.getString("severity"))
          .put("alerts", alerts).put("findings", findings));
      target.put("alerts", target.getLong("alerts") + alerts).put("findings", target.getLong("findings") + findings);
    }
    return report.put("violations", violations).put("anomalies", anomalies);
  }

  private static JsonObject section() {
    return new JsonObject().put("alerts", 0L).put("findings", 0L).put("byRule", new JsonArray());
  }

  private static Future<JsonArray> top(SqlConnection conn, Tuple range) {
    Tuple params = Tuple.of(range.getValue(0), range.getValue(1), range.getValue(2), TOP_SUBJECTS);
    return conn.preparedQuery(TOP).execute(params).map(rows -> {
      JsonArray top = new JsonArray();
      for (Row row : rows) {
        Object subject = row.getValue("subject");
        JsonObject s = subject instanceof JsonObject o ? o : new JsonObject();
        top.add(new JsonObject().put("subject", s).put("key", subjectKey(s))
            .put("alerts", row.getLong("alerts")).put("findings", row.getLong("findings")));
      }
      return top;
    });
  }

  private static JsonArray handling(RowSet<Row> rows) {
    JsonObject[] steps = new JsonObject[TRANSITIONS.size()];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = new JsonObject().put("transition", TRANSITIONS.get(i)).put("count", 0L)
          .put("medianSeconds", null).put("p90Seconds", null);
    }
    for (Row row : rows) {
      steps[row.getInteger("step")].put("count", row.getLong("n"))
          .put("medianSeconds", seconds(row.getValue("median")))
          .put("p90Seconds", seconds(row.getValue("p90")));
    }
    return new JsonArray(List.of((Object[]) steps));
  }

  private static Double seconds(Object numeric) {
    if (numeric instanceof Numeric n) {
      return n.bigDecimalValue() == null ? n.doubleValue() : n.bigDecimalValue().doubleValue();
    }
    return numeric instanceof Number n ? n.doubleValue() : null;
  }

  /** A subject as one readable, stable text: its known fields in a fixed order, then any others by name. */
  public static String subjectKey(JsonObject subject) {
    StringBuilder key = new StringBuilder();
    TreeSet<String> others = new TreeSet<>(subject.fieldNames());
    others.removeAll(SUBJECT_FIELDS);
    List<String> names = new ArrayList<>(SUBJECT_FIELDS);
    names.addAll(others);
    for (String name : names) {
      Object v = subject.getValue(name);
      if (v != null) {
        key.append(key.length() == 0 ? "" : "|").append(name).append('=').append(v);
      }
    }
    return key.length() == 0 ? SUBJECT_NONE : key.toString();
  }

  // ---- CSV ----

  /** The report as CSV (layout in the class comment); generatedAt is left out so that equal reports give equal files. */
  public static String toCsv(JsonObject report) {
    StringBuilder csv = new StringBuilder();
    row(csv, "section", "key", "severity", "metric", "value");
    row(csv, "report", "tenantId", "", "", report.getString("tenantId"));
    row(csv, "report", "from", "", "", report.getString("from"));
    row(csv, "report", "to", "", "", report.getString("to"));
    JsonObject events = report.getJsonObject("events");
    for (Object o : events.getJsonArray("byType")) {
      JsonObject e = (JsonObject) o;
      row(csv, "events", e.getString("type"), "", "count", number(e.getValue("count")));
    }
    row(csv, "events", TOTAL, "", "count", number(events.getValue("total")));
    ruleRows(csv, "violations", report.getJsonObject("violations"));
    for (Object o : report.getJsonArray("topSubjects")) {
      JsonObject s = (JsonObject) o;
      row(csv, "top_subjects", s.getString("key"), "", "alerts", number(s.getValue("alerts")));
      row(csv, "top_subjects", s.getString("key"), "", "findings", number(s.getValue("findings")));
    }
    for (Object o : report.getJsonArray("handlingTimes")) {
      JsonObject h = (JsonObject) o;
      row(csv, "handling_times", h.getString("transition"), "", "count", number(h.getValue("count")));
      row(csv, "handling_times", h.getString("transition"), "", "median_seconds", number(h.getValue("medianSeconds")));
      row(csv, "handling_times", h.getString("transition"), "", "p90_seconds", number(h.getValue("p90Seconds")));
    }
    ruleRows(csv, "anomalies", report.getJsonObject("anomalies"));
    return csv.toString();
  }

  private static void ruleRows(StringBuilder csv, String section, JsonObject rules) {
    for (Object o : rules.getJsonArray("byRule")) {
      JsonObject r = (JsonObject) o;
      row(csv, section, r.getString("ruleId"), r.getString("severity"), "alerts", number(r.getValue("alerts")));
      row(csv, section, r.getString("ruleId"), r.getString("severity"), "findings", number(r.getValue("findings")));
    }
    row(csv, section, TOTAL, "", "alerts", number(rules.getValue("alerts")));
    row(csv, section, TOTAL, "", "findings", number(rules.getValue("findings")));
  }

  /** A number as plain decimal text (no exponent, no trailing zeros); empty for null. */
  public static String number(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float) {
      BigDecimal d = BigDecimal.valueOf(((Number) value).doubleValue()).stripTrailingZeros();
      return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
    return value.toString();
  }

  private static void row(StringBuilder csv, String... cells) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        csv.append(',');
      }
      csv.append(cell(cells[i]));
    }
    csv.append("\r\n");
  }

  static String cell(String value) {
    String v = value == null ? "" : value;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !NUMBER.matcher(v).matches()) {
      // a spreadsheet would evaluate it as a formula
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
