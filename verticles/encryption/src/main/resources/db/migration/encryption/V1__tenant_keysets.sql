-- Each tenant's Tink keysets, only ever stored encrypted by the key-encryption key (KEK):
-- `wrapped` is a Tink EncryptedKeyset whose associated data binds tenant and purpose,
-- so a row copied to another tenant or purpose does not unwrap.
CREATE TABLE IF NOT EXISTS tenant_keysets (
  tenant_id      text        NOT NULL,
  purpose        text        NOT NULL CHECK (purpose IN ('aead', 'token')),
  wrapped        bytea       NOT NULL,
  -- identifies the KEK that wrapped it (not secret), to explain a wrong-KEK start-up
  kek_id         text        NOT NULL,
  -- Tink key ids are unsigned 32-bit
  primary_key_id bigint      NOT NULL,
  key_count      int         NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  rotated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, purpose)
);

CREATE INDEX IF NOT EXISTS tenant_keysets_rotation ON tenant_keysets (purpose, rotated_at);
CREATE INDEX IF NOT EXISTS tenant_keysets_created ON tenant_keysets (created_at);

-- Tenants whose keysets were destroyed: they never get new keys, so their old ciphertexts stay unreadable.
CREATE TABLE IF NOT EXISTS tenant_keysets_shredded (
  tenant_id   text        PRIMARY KEY,
  shredded_at timestamptz NOT NULL DEFAULT now(),
  actor       text        NOT NULL
);

-- Who decrypted what, when and why; also key management. Holds no personal data, so it outlives a shredding.
CREATE TABLE IF NOT EXISTS encryption_audit (
  id        bigserial   PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  tenant_id text        NOT NULL,
  action    text        NOT NULL,
  actor     text        NOT NULL,
  reason    text,
  items     int         NOT NULL DEFAULT 0,
  event_ids text[],
  outcome   text        NOT NULL
);

CREATE INDEX IF NOT EXISTS encryption_audit_tenant_at ON encryption_audit (tenant_id, at);

-- Progress of rewrap jobs (re-encryption of stored sealed fields under the newest key).
CREATE TABLE IF NOT EXISTS rewrap_jobs (
  job_id         text        PRIMARY KEY,
  tenant_id      text        NOT NULL,
  table_name     text        NOT NULL,
  status         text        NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
  primary_key_id bigint      NOT NULL,
  scanned        bigint      NOT NULL DEFAULT 0,
  rewrapped      bigint      NOT NULL DEFAULT 0,
  up_to_date     bigint      NOT NULL DEFAULT 0,
  -- rows changed by someone else between read and rewrite: left alone, still readable
  skipped        bigint      NOT NULL DEFAULT 0,
  failed         bigint      NOT NULL DEFAULT 0,
  last_event_id  text,
  error          text,
  started_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz
);

CREATE INDEX IF NOT EXISTS rewrap_jobs_tenant ON rewrap_jobs (tenant_id, started_at);
