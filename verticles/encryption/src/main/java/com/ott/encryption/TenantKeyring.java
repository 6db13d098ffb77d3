package com.ott.encryption;

import static com.ott.contract.EncryptionAddresses.NO_KEYS;
import static com.ott.contract.EncryptionAddresses.TENANT_SHREDDED;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.daead.PredefinedDeterministicAeadParameters;
import com.ott.contract.Failures;
import com.ott.runtime.Postgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each tenant's two Tink keysets, kept in PostgreSQL only wrapped by the {@link KeyEncryptionKey} (associated
 * data: tenant and purpose) and cached in memory as ready primitives.
 *
 * <ul>
 *   <li>{@code aead} (AES-256-GCM) seals values that must be recoverable. It rotates: a new primary key every
 *       {@code encryption.rotationDays} or on demand; old keys stay in the keyset, so old ciphertexts decrypt.
 *   <li>{@code token} (AES-256-SIV, deterministic) makes tokens. It never rotates, on a timer or otherwise: a new
 *       token key would change every token, and the rules' state and reference data are keyed by tokens. Being
 *       separate from the AEAD keyset, AEAD rotation leaves tokens unchanged. Replacing a compromised token key
 *       needs a deliberate re-tokenisation of stored events, rule state and reference data (not automated).
 * </ul>
 *
 * <p>Keys are created on a tenant's first protect. Shredding deletes both keysets and leaves a tombstone, so a
 * shredded tenant never gets new keys. Writers of one tenant's keysets serialise on a transaction-scoped advisory
 * lock. Unwrapping and wrapping (possibly a KMS call) run off the event loop.
 */
public final class TenantKeyring {
  private static final Logger LOG = LoggerFactory.getLogger(TenantKeyring.class);
  private static final String AEAD = "aead";
  private static final String TOKEN = "token";
  private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('ott.encryption.keyring:' || $1, 0))";

  private final Vertx vertx;
  private final Pool pool;
  private final KeyEncryptionKey kek;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Future<TenantKeys> keys, long loadedAtNanos) {}

  /** A tenant's AEAD keyset after a rotation request; {@code rotated} is false when it was recent enough. */
  public record Rotation(String tenantId, long primaryKeyId, Instant rotatedAt, boolean rotated) {}

  private record StoredKeyset(String purpose, byte[] wrapped, String kekId, Instant rotatedAt) {}

  private record WrappedKeyset(KeysetHandle handle, byte[] wrapped) {}

  public TenantKeyring(Vertx vertx, Pool pool, KeyEncryptionKey kek) {
    TinkRegistry.ensureRegistered();
    this.vertx = vertx;
    this.pool = pool;
    this.kek = kek;
  }

  /** The tenant's keys, created on first use; fails {@code 410} for a shredded tenant. */
  public Future<TenantKeys> keys(String tenantId) {
    return cached(tenantId, () -> load(tenantId).compose(found -> found != null ? Future.succeededFuture(found) : create(tenantId)));
  }

  /** The tenant's keys when it has some: fails {@code 404} when it never had keys, {@code 410} when shredded. */
  public Future<TenantKeys> existingKeys(String tenantId) {
    return cached(tenantId, () -> load(tenantId).compose(found -> found != null ? Future.succeededFuture(found)
        : Future.failedFuture(Failures.reject(NO_KEYS, "tenant " + tenantId + " has no encryption keys: nothing of it was protected"))));
  }

  /** Reloads the tenant's keys from PostgreSQL unless they were loaded within {@code minAge} (another instance may have rotated). */
  public Future<TenantKeys> refreshed(String tenantId, Duration minAge) {
    Cached c = cache.get(tenantId);
    if (c != null && System.nanoTime() - c.loadedAtNanos() < minAge.toNanos()) {
      return c.keys();
    }
    evict(tenantId);
    return existingKeys(tenantId);
  }

  /** Drops the cached keys of a tenant (its keysets changed elsewhere). */
  public void evict(String tenantId) {
    cache.remove(tenantId);
  }

  /** Whether the tenant's keys are cached (for tests). */
  boolean isCached(String tenantId) {
    return cache.containsKey(tenantId);
  }

  /**
   * Start-up check that this KEK is the one the stored keysets were wrapped with: unwraps the most recently
   * written keyset. Fails with an explanation otherwise; succeeds on a database without keysets. The directory
   * function {@code ott_newest_keyset_tenant} names its tenant; the keyset is read as that tenant.
   */
  public Future<Void> verifyKek() {
    return pool.query("SELECT ott_newest_keyset_tenant()").execute()
        .compose(newest -> {
          String newestTenant = newest.iterator().next().getString(0);
          return newestTenant == null ? Future.<RowSet<Row>>succeededFuture(null) : Postgres.inTenant(pool, newestTenant, conn -> conn
              .preparedQuery("SELECT tenant_id, purpose, wrapped, kek_id FROM tenant_keysets WHERE tenant_id = $1 "
                  + "ORDER BY rotated_at DESC LIMIT 1")
              .execute(Tuple.of(newestTenant)));
        })
        .compose(rows -> {
          if (rows == null || rows.size() == 0) {
            return Future.succeededFuture();
          }
          Row row = rows.iterator().next();
          String tenantId = row.getString("tenant_id");
          String purpose = row.getString("purpose");
          byte[] wrapped = row.getBuffer("wrapped").getBytes();
          String storedKekId = row.getString("kek_id");
          return vertx.executeBlocking(() -> {
            try {
              unwrap(tenantId, purpose, wrapped);
              return null;
            } catch (GeneralSecurityException | RuntimeException e) {
              throw new IllegalStateException("the configured key-encryption key (" + kek.id() + ") cannot unwrap the "
                  + "tenant keysets stored in PostgreSQL (wrapped by " + storedKekId + "): wrong KEK for this database; "
                  + "configure the KEK the keysets were created with");
            }
          }, false);
        });
  }

  /**
   * Tenants whose primary AEAD key is older than {@code maxAge}: ids only, from the directory function
   * {@code ott_keysets_due_for_rotation}; each is then rotated as itself.
   */
  public Future<List<String>> dueForRotation(Duration maxAge) {
    return pool.preparedQuery("SELECT ott_keysets_due_for_rotation($1, 1000)")
        .execute(Tuple.of((double) maxAge.toSeconds()))
        .map(rows -> {
          List<String> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getString(0)));
          return out;
        });
  }

  /**
   * Adds a new primary AEAD key; the older keys stay for decryption and the token keyset is untouched. With
   * {@code onlyIfOlderThan}, does nothing when the primary is younger (so concurrent timers rotate once). A tenant
   * without keys gets fresh ones; a shredded tenant fails {@code 410}.
   */
  public Future<Rotation> rotate(String tenantId, Duration onlyIfOlderThan) {
    Future<Rotation> rotation = Postgres.inTenant(pool, tenantId, conn -> lock(conn, tenantId)
        .compose(x -> conn.preparedQuery("SELECT wrapped, rotated_at, rotated_at < now() - make_interval(secs => $2) AS due "
                + "FROM tenant_keysets WHERE tenant_id = $1 AND purpose = 'aead' FOR UPDATE")
            .execute(Tuple.of(tenantId, onlyIfOlderThan == null ? 0.0 : (double) onlyIfOlderThan.toSeconds())))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(null);
          }
          Row row = rows.iterator().next();
          byte[] wrapped = row.getBuffer("wrapped").getBytes();
          if (onlyIfOlderThan != null && !row.getBoolean("due")) {
            return vertx.executeBlocking(() -> {
              KeysetHandle current = unwrap(tenantId, AEAD, wrapped);
              return new Rotation(tenantId, primaryId(current), instant(row.getOffsetDateTime("rotated_at")), false);
            }, false);
          }
          return vertx.executeBlocking(() -> {
                KeysetHandle next = KeysetHandle.newBuilder(unwrap(tenantId, AEAD, wrapped))
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                        .withRandomId().makePrimary())
                    .build();
                return new WrappedKeyset(next, wrap(tenantId, AEAD, next));
              }, false)
              .compose(next -> conn.preparedQuery("UPDATE tenant_keysets SET wrapped = $3, kek_id = $4, primary_key_id = $5, "
                      + "key_count = $6, rotated_at = now() WHERE tenant_id = $1 AND purpose = $2 RETURNING rotated_at")
                  .execute(Tuple.of(tenantId, AEAD, Buffer.buffer(next.wrapped()), kek.id(), primaryId(next.handle()),
                      next.handle().size()))
                  .map(updated -> new Rotation(tenantId, primaryId(next.handle()),
                      instant(updated.iterator().next().getOffsetDateTime("rotated_at")), true)));
        }));
    return rotation.compose(r -> {
      if (r == null) {
        return keys(tenantId).map(k -> new Rotation(tenantId, k.primaryKeyId(), k.rotatedAt(), true));
      }
      if (r.rotated()) {
        evict(tenantId);
        LOG.info("tenant {}: new primary AEAD key {}", tenantId, r.primaryKeyId());
      }
      return Future.succeededFuture(r);
    });
  }

  /**
   * Destroys the tenant's keysets (crypto-shredding): afterwards nothing sealed or tokenised for it can be
   * decrypted, and it gets no new keys. Answers how many keysets were deleted (0 when already shredded).
   */
  public Future<Integer> shred(String tenantId, String actor) {
    return Postgres.inTenant(pool, tenantId, conn -> lock(conn, tenantId)
            .compose(x -> conn.preparedQuery("INSERT INTO tenant_keysets_shredded (tenant_id, actor) VALUES ($1, $2) "
                    + "ON CONFLICT (tenant_id) DO NOTHING")
                .execute(Tuple.of(tenantId, actor)))
            .compose(x -> conn.preparedQuery("DELETE FROM tenant_keysets WHERE tenant_id = $1").execute(Tuple.of(tenantId)))
            .map(RowSet::rowCount))
        .onComplete(x -> evict(tenantId))
        .onSuccess(n -> LOG.info("tenant {}: {} keysets destroyed (crypto-shredded)", tenantId, n));
  }

  private Future<TenantKeys> cached(String tenantId, java.util.function.Supplier<Future<TenantKeys>> loader) {
    Cached c = cache.get(tenantId);
    if (c != null) {
      return c.keys();
    }
    Future<TenantKeys> f = loader.get();
    Cached entry = new Cached(f, System.nanoTime());
    Cached raced = cache.putIfAbsent(tenantId, entry);
    if (raced != null) {
      return raced.keys();
    }
    // a failure is not cached: the next call tries again
    f.onFailure(err -> cache.remove(tenantId, entry));
    return f;
  }

  /** The tenant's keys from PostgreSQL; null when it has none; fails 410 when shredded. */
  private Future<TenantKeys> load(String tenantId) {
    return Postgres.inTenant(pool, tenantId, conn -> conn
            .preparedQuery("SELECT purpose, wrapped, kek_id, rotated_at FROM tenant_keysets WHERE tenant_id = $1")
            .execute(Tuple.of(tenantId)))
        .compose(rows -> {
          List<StoredKeyset> stored = new ArrayList<>();
          rows.forEach(r -> stored.add(new StoredKeyset(r.getString("purpose"), r.getBuffer("wrapped").getBytes(),
              r.getString("kek_id"), instant(r.getOffsetDateTime("rotated_at")))));
          if (stored.isEmpty()) {
            return shredded(tenantId).compose(gone -> gone ? Future.failedFuture(shreddedFailure(tenantId)) : Future.succeededFuture(null));
          }
          return vertx.executeBlocking(() -> primitives(tenantId, stored), false);
        });
  }

  private Future<TenantKeys> create(String tenantId) {
    return vertx.executeBlocking(() -> {
          KeysetHandle aead = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
          KeysetHandle token = KeysetHandle.generateNew(PredefinedDeterministicAeadParameters.AES256_SIV);
          return List.of(Tuple.of(tenantId, AEAD, Buffer.buffer(wrap(tenantId, AEAD, aead)), kek.id(), primaryId(aead), aead.size()),
              Tuple.of(tenantId, TOKEN, Buffer.buffer(wrap(tenantId, TOKEN, token)), kek.id(), primaryId(token), token.size()));
        }, false)
        .compose(tuples -> Postgres.inTenant(pool, tenantId, conn -> lock(conn, tenantId)
            .compose(x -> conn.preparedQuery("SELECT (SELECT count(*) FROM tenant_keysets WHERE tenant_id = $1) AS keysets, "
                    + "EXISTS (SELECT 1 FROM tenant_keysets_shredded WHERE tenant_id = $1) AS shredded")
                .execute(Tuple.of(tenantId)))
            .compose(rows -> {
              Row row = rows.iterator().next();
              if (row.getBoolean("shredded")) {
                return Future.failedFuture(shreddedFailure(tenantId));
              }
              if (row.getLong("keysets") > 0) {
                // another instance created them first: use those
                return Future.succeededFuture();
              }
              return conn.preparedQuery("INSERT INTO tenant_keysets (tenant_id, purpose, wrapped, kek_id, primary_key_id, key_count) "
                      + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, purpose) DO NOTHING")
                  .executeBatch(tuples)
                  .onSuccess(x -> LOG.info("tenant {}: encryption keysets created", tenantId))
                  .mapEmpty();
            })))
        .compose(x -> load(tenantId))
        .compose(keys -> keys != null ? Future.succeededFuture(keys)
            : Future.failedFuture(new IllegalStateException("tenant " + tenantId + ": keysets vanished after creation")));
  }

  private Future<Boolean> shredded(String tenantId) {
    return Postgres.inTenant(pool, tenantId, conn -> conn
            .preparedQuery("SELECT 1 FROM tenant_keysets_shredded WHERE tenant_id = $1")
            .execute(Tuple.of(tenantId)))
        .map(rows -> rows.size() > 0);
  }

  private static Failures.Rejection shreddedFailure(String tenantId) {
    return Failures.reject(TENANT_SHREDDED, "tenant " + tenantId + " was deleted and its encryption keys destroyed: "
        + "its personal data can no longer be protected or read");
  }

  private static Future<RowSet<Row>> lock(SqlConnection conn, String tenantId) {
    return conn.preparedQuery(LOCK).execute(Tuple.of(tenantId));
  }

  private TenantKeys primitives(String tenantId, List<StoredKeyset> stored) throws GeneralSecurityException {
    KeysetHandle aead = null;
    KeysetHandle token = null;
    Instant rotatedAt = null;
    for (StoredKeyset s : stored) {
      KeysetHandle handle;
      try {
        handle = unwrap(tenantId, s.purpose(), s.wrapped());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("tenant " + tenantId + ": the " + s.purpose() + " keyset does not unwrap with the "
            + "key-encryption key " + kek.id() + " (it was wrapped by " + s.kekId() + ")");
      }
      if (AEAD.equals(s.purpose())) {
        aead = handle;
        rotatedAt = s.rotatedAt();
      } else if (TOKEN.equals(s.purpose())) {
        token = handle;
      }
    }
    if (aead == null || token == null) {
      throw new IllegalStateException("tenant " + tenantId + ": a keyset is missing (aead " + (aead != null) + ", token " + (token != null) + ")");
    }
    return new TenantKeys(tenantId,
        aead.getPrimitive(RegistryConfiguration.get(), Aead.class),
        token.getPrimitive(RegistryConfiguration.get(), DeterministicAead.class),
        primaryId(aead), rotatedAt);
  }

  private byte[] wrap(String tenantId, String purpose, KeysetHandle handle) throws GeneralSecurityException {
    return TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, kek.aead(), keysetAssociatedData(tenantId, purpose));
  }

  private KeysetHandle unwrap(String tenantId, String purpose, byte[] wrapped) throws GeneralSecurityException {
    return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, kek.aead(), keysetAssociatedData(tenantId, purpose));
  }

  /** What a wrapped keyset is bound to: a row copied to another tenant or purpose does not unwrap. */
  static byte[] keysetAssociatedData(String tenantId, String purpose) {
    byte[] label = "ott.encryption.keyset".getBytes(StandardCharsets.UTF_8);
    byte[] tenant = tenantId.getBytes(StandardCharsets.UTF_8);
    byte[] p = purpose.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(12 + label.length + tenant.length + p.length)
        .putInt(label.length).put(label).putInt(tenant.length).put(tenant).putInt(p.length).put(p).array();
  }

  private static long primaryId(KeysetHandle handle) {
    return Integer.toUnsignedLong(handle.getPrimary().getId());
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
