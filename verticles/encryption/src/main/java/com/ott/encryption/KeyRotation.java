package com.ott.encryption;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled rotation: gives every tenant whose primary AEAD key is older than the rotation age a new primary.
 * Each instance may run it; the keyring's per-tenant lock and age re-check make a tenant rotate once.
 */
public final class KeyRotation {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);
  public static final String ACTOR = "system:rotation-timer";

  private final TenantKeyring keyring;
  private final EncryptionAudit audit;
  private final Duration maxAge;
  private boolean running;

  public KeyRotation(TenantKeyring keyring, EncryptionAudit audit, Duration maxAge) {
    this.keyring = keyring;
    this.audit = audit;
    this.maxAge = maxAge;
  }

  /** Rotates the tenants that are due, one after another; answers those rotated. Skips when a run is in progress. */
  public Future<List<TenantKeyring.Rotation>> rotateDue() {
    if (running) {
      return Future.succeededFuture(List.of());
    }
    running = true;
    List<TenantKeyring.Rotation> done = new ArrayList<>();
    return keyring.dueForRotation(maxAge)
        .compose(tenants -> {
          Future<Void> chain = Future.succeededFuture();
          for (String tenantId : tenants) {
            chain = chain.compose(x -> keyring.rotate(tenantId, maxAge)
                .compose(r -> {
                  if (!r.rotated()) {
                    return Future.<Void>succeededFuture();
                  }
                  done.add(r);
                  return audit.record(tenantId, EncryptionAudit.ROTATE, ACTOR, "scheduled: primary older than "
                      + maxAge.toDays() + " days", 1, null, "ok");
                })
                // one tenant's failure does not stop the others
                .recover(err -> {
                  LOG.warn("tenant {}: scheduled key rotation failed: {}", tenantId, err.getMessage());
                  return Future.succeededFuture();
                }));
          }
          return chain;
        })
        .map(x -> (List<TenantKeyring.Rotation>) done)
        .onComplete(x -> running = false);
  }
}
