package com.ott.contract;

/**
 * The encryption stage's event-bus contract: field-level protection of personal data with per-tenant keys.
 *
 * <p>A protected event keeps its shape: each personal field present ({@code accountId}, {@code deviceId},
 * {@code ip}, and any field the caller names in {@code personalFields}) holds its deterministic token
 * ({@code tk_} + URL-safe base64) instead of the clear value; {@link #IP_NET} holds the token of the IP's network
 * prefix (IPv4 /24, IPv6 /48); {@link #SEALED} maps each original field name to its AEAD ciphertext (base64),
 * bound to tenant, event and field. Rules see tokens only.
 *
 * <p>Failures are {@link Failures} codes; besides 400 (bad request) and 503 (unavailable) these addresses answer
 * {@link #TENANT_SHREDDED}, {@link #NO_KEYS} and {@link #UNDECRYPTABLE}.
 */
public final class EncryptionAddresses {
  private EncryptionAddresses() {}

  /**
   * {@code {tenantId, events:[...], personalFields?:[name or "attributes.<name>", ...]}} -> {@code {events:[...]}}:
   * the events protected, same order. One request per batch; the tenant's keys are created on first use.
   */
  public static final String PROTECT = "ott.encryption.protect";
  /**
   * {@code {tenantId, actor, reason, events:[...]}} -> {@code {events:[...]}}: clear personal fields restored from
   * {@link #SEALED} (or from their tokens), {@code sealed} and {@code ipNet} removed. Audited per call.
   */
  public static final String UNPROTECT = "ott.encryption.unprotect";
  /**
   * {@code {tenantId, actor, reason, tokens:[{field, token}, ...]}} -> {@code {values:[{field, token, value}, ...]}}:
   * the clear values behind tokens (e.g. an alert's {@code subject.accountToken}, field {@code accountId}). Audited.
   */
  public static final String UNPROTECT_TOKENS = "ott.encryption.unprotect-tokens";
  /**
   * {@code {tenantId, field, values:[...]}} -> {@code {tokens:[...]}}: the tokens of clear values, so reference
   * data keyed by a personal field (account plans) can be joined with protected events.
   */
  public static final String TOKENIZE = "ott.encryption.tokenize";
  /** {@code {tenantId, actor?}} -> {@code {tenantId, primaryKeyId, rotatedAt}}: a new primary AEAD key now. */
  public static final String ROTATE = "ott.encryption.rotate";
  /** {@code {tenantId, actor?}} -> {@code {tenantId, shredded:true}}: destroys the tenant's keys (crypto-shredding). */
  public static final String SHRED = "ott.encryption.shred";
  /**
   * {@code {tenantId, table?, await?, actor?}} -> rewrap progress {@code {jobId, tenantId, table, status:
   * RUNNING|DONE|FAILED, primaryKeyId, scanned, rewrapped, upToDate, skipped, failed, startedAt, finishedAt?, error?}}:
   * starts re-encrypting the tenant's stored sealed fields under its newest key (or reports the job already
   * running); with {@code await:true} replies when the job ends.
   */
  public static final String REWRAP = "ott.encryption.rewrap";
  /** {@code {jobId}} -> rewrap progress (see {@link #REWRAP}); fails 404 for an unknown job. */
  public static final String REWRAP_STATUS = "ott.encryption.rewrap-status";
  /** Published after a tenant's keys change (rotated or shredded) so every instance drops its cache: {@code {tenantId}}. */
  public static final String KEYS_CHANGED = "ott.encryption.keys-changed";

  /** Field of a protected event mapping field names to AEAD ciphertexts. */
  public static final String SEALED = "sealed";
  /** Field of a protected event holding the token of the IP network prefix. */
  public static final String IP_NET = "ipNet";
  /** Prefix of every token. */
  public static final String TOKEN_PREFIX = "tk_";

  /** The tenant was deleted and its keys destroyed: nothing of it can be protected or read any more. */
  public static final int TENANT_SHREDDED = 410;
  /** The tenant has no keys yet, so nothing of it was ever protected. */
  public static final int NO_KEYS = 404;
  /** A ciphertext or token does not decrypt for this tenant, event and field (altered, or moved from elsewhere). */
  public static final int UNDECRYPTABLE = 422;
}
