CREATE TABLE IF NOT EXISTS tenants (
  tenant_id  text        PRIMARY KEY,
  name       text        NOT NULL UNIQUE,
  tier       text        NOT NULL CHECK (tier IN ('FREE', 'STANDARD', 'PREMIUM', 'ENTERPRISE')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Only a SHA-256 of each key is kept: a leaked table gives no usable key.
CREATE TABLE IF NOT EXISTS api_keys (
  key_id     text        PRIMARY KEY,
  tenant_id  text        NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  key_hash   text        NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE INDEX IF NOT EXISTS api_keys_tenant ON api_keys (tenant_id);
