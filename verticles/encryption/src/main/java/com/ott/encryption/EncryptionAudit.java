package com.ott.encryption;

import com.ott.runtime.Postgres;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** The audit trail of decryptions and key changes: who, which tenant, how many, when, why, with what outcome. */
public final class EncryptionAudit {
  public static final String UNPROTECT = "unprotect";
  public static final String UNPROTECT_TOKENS = "unprotect-tokens";
  public static final String ROTATE = "rotate";
  public static final String SHRED = "shred";
  public static final String REWRAP = "rewrap";

  private final Pool pool;

  public EncryptionAudit(Pool pool) {
    this.pool = pool;
  }

  /** Records one action; {@code eventIds} may be null. Completes once the row is committed. */
  public Future<Void> record(String tenantId, String action, String actor, String reason, int items,
                             List<String> eventIds, String outcome) {
    return Postgres.inTenant(pool, tenantId, conn -> conn
            .preparedQuery("INSERT INTO encryption_audit (tenant_id, action, actor, reason, items, event_ids, outcome) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .execute(Tuple.of(tenantId, action, actor, reason, items,
                eventIds == null ? null : eventIds.toArray(String[]::new), outcome)))
        .mapEmpty();
  }
}
