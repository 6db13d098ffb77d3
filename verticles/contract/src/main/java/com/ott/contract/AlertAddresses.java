package com.ott.contract;

/**
 * Event-bus addresses of alerts and reports, served by the store's alerts verticle.
 * Every request carries the caller's {@code tenantId}; an alert of another tenant
 * answers exactly like an unknown one (404). Failures are {@link Failures} codes:
 * 400 with a {@code "<field>: <reason>"} message, 404, 409 for an illegal status change.
 *
 * <p>An alert is the JSON of DOMAIN.md ("Alerts"): {@code {alertId, tenantId, ruleId,
 * severity, status, subject, firstSeenAt, lastSeenAt, count, evidence: {eventIds, values},
 * explanation, traceId, acknowledgedAt, acknowledgedBy, resolvedAt, resolvedBy}}.
 * Every created, updated, acknowledged or resolved alert is also published on
 * {@link Addresses#alerts(String)} (header {@code seq}: the id of the audit entry of the change).
 */
public final class AlertAddresses {
  private AlertAddresses() {}

  /**
   * Findings to turn into alerts: one finding JSON, or {@code {tenantId, findings: [...]}}.
   * A finding is {@code {tenantId, ruleId, severity: LOW|MEDIUM|HIGH, subject: {..}, eventId?,
   * occurredAt, dedupKey, evidence: {values: {..}} or evidence: {..} or values: {..},
   * explanation, traceId?}}; findings with the same dedupKey update one open alert, and a finding
   * whose eventId the alert already holds changes nothing. Replies
   * {@code {created, updated, unchanged, rejected: [{index, errors: [..]}], alerts: [alert...]}}
   * (alerts: those created or updated).
   */
  public static final String RAISE = "ott.alerts.raise";

  /**
   * {@code {tenantId, status?, severity?, ruleId?, from?, to?, limit? (1..500, default 50), cursor?}}
   * (from/to: RFC 3339, on firstSeenAt, to exclusive) -> {@code {items: [alert...], nextCursor}}:
   * newest first, nextCursor null on the last page.
   */
  public static final String LIST = "ott.alerts.list";

  /** {@code {tenantId, alertId, withAudit?}} -> the alert (with {@code audit} as from {@link #AUDIT} when asked). */
  public static final String GET = "ott.alerts.get";

  /** {@code {tenantId, alertId, actor, note?}} -> the acknowledged alert; 409 unless it is OPEN. */
  public static final String ACK = "ott.alerts.ack";

  /** {@code {tenantId, alertId, actor, note?}} -> the resolved alert; 409 when already RESOLVED. */
  public static final String RESOLVE = "ott.alerts.resolve";

  /**
   * {@code {tenantId, alertId, limit? (1..1000, default 200)}} -> {@code {items: [{auditId, action:
   * created|updated|acknowledged|resolved, actor, note, at, statusBefore, statusAfter, details}], truncated}}:
   * the newest entries, oldest first.
   */
  public static final String AUDIT = "ott.alerts.audit";

  /**
   * {@code {tenantId, from, to, format?: json|csv}} (RFC 3339, to exclusive, at most 366 days)
   * -> the compliance report: a JSON object, or for csv a String (RFC 4180, CRLF line ends).
   */
  public static final String REPORT_COMPLIANCE = "ott.reports.compliance";
}
