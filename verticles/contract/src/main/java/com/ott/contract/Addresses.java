package com.ott.contract;

/** Event-bus addresses: the only way one verticle reaches another. */
public final class Addresses {
  private Addresses() {}

  /** Raw HTTP batch (Buffer body, headers tenant-id and content-type) to validate and store; replies with an ingest result. */
  public static final String INGEST_HTTP_BATCH = "ott.ingest.http-batch";
  /** Validated events of one tenant ({@code {tenantId, source, events:[...]}}) to store idempotently; replies {@code {stored, duplicates, storedIds}}. */
  public static final String STORE_EVENTS = "ott.store.events";
  /** One stored event ({@code {tenantId, eventId}} -> {@code {eventId, type, occurredAt, receivedAt, source, payload}}); fails 404. */
  public static final String STORE_GET_EVENT = "ott.store.get-event";
  /** Count of stored events for a tenant ({@code {tenantId}} -> {@code {count}}). */
  public static final String STORE_COUNT = "ott.store.count";

  /** {@code {keyHash}} (hex SHA-256 of an API key) -> {@code {tenantId, keyId, tier}}; fails 401 when unknown or revoked. */
  public static final String TENANCY_RESOLVE_KEY = "ott.tenancy.resolve-key";
  /** {@code {name, tier}} -> {@code {tenantId, apiKey, keyId}}; fails 409 when the name is taken. */
  public static final String TENANCY_CREATE_TENANT = "ott.tenancy.create-tenant";
  /** {@code {name, tier}} -> {@code {tenantId, created}}: the tenant of that name, created when missing. */
  public static final String TENANCY_ENSURE_TENANT = "ott.tenancy.ensure-tenant";
  /** {@code {tenantId}} -> {@code {tenantId, apiKey, keyId}}: a new API key. */
  public static final String TENANCY_ISSUE_KEY = "ott.tenancy.issue-key";
  /** {@code {tenantId}} -> {@code {tenantId, name, tier}}; fails 404 when unknown. */
  public static final String TENANCY_GET_TENANT = "ott.tenancy.get-tenant";
  /** {@code {tenantId}} -> {@code {tenantId, deleted}}: removes the tenant and its API keys; fails 404. */
  public static final String TENANCY_DELETE_TENANT = "ott.tenancy.delete-tenant";
  /** Published when a key is revoked or a tenant deleted, so caches drop it: {@code {keyHash?, tenantId?}}. */
  public static final String TENANCY_INVALIDATED = "ott.tenancy.invalidated";

  /** Per-tenant browser address for alerts. */
  public static String alerts(String tenantId) {
    return "ott.alerts." + tenantId;
  }

  /** Per-tenant browser address for metric updates. */
  public static String metrics(String tenantId) {
    return "ott.metrics." + tenantId;
  }
}
