-- Every change of a tenant's tier, with its time: invoices prorate the base price by days on each tier.
CREATE TABLE IF NOT EXISTS tier_changes (
  change_id  bigserial   PRIMARY KEY,
  tenant_id  text        NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  from_tier  text        NOT NULL CHECK (from_tier IN ('FREE', 'STANDARD', 'PREMIUM', 'ENTERPRISE')),
  to_tier    text        NOT NULL CHECK (to_tier IN ('FREE', 'STANDARD', 'PREMIUM', 'ENTERPRISE')),
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS tier_changes_tenant ON tier_changes (tenant_id, changed_at);

-- Metered usage per tenant and UTC day; counters only ever grow.
CREATE TABLE IF NOT EXISTS usage_daily (
  tenant_id       text   NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  day             date   NOT NULL,
  events_accepted bigint NOT NULL DEFAULT 0 CHECK (events_accepted >= 0),
  events_rejected bigint NOT NULL DEFAULT 0 CHECK (events_rejected >= 0),
  api_calls       bigint NOT NULL DEFAULT 0 CHECK (api_calls >= 0),
  bytes_stored    bigint NOT NULL DEFAULT 0 CHECK (bytes_stored >= 0),
  PRIMARY KEY (tenant_id, day)
);

-- The idempotency keys of recorded meter messages. A key is inserted by the same statement that adds its
-- counts, so a replayed message is refused there and then instead of being found and undone later.
CREATE TABLE IF NOT EXISTS usage_meter_keys (
  tenant_id       text        NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  idempotency_key text        NOT NULL,
  day             date        NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS usage_meter_keys_recorded ON usage_meter_keys (recorded_at);

-- Closed monthly invoices (history). No foreign key: accounting records outlive a deleted tenant.
CREATE TABLE IF NOT EXISTS invoices (
  tenant_id text        NOT NULL,
  month     date        NOT NULL CHECK (extract(day FROM month) = 1),
  currency  text        NOT NULL,
  total     bigint      NOT NULL CHECK (total >= 0),
  invoice   jsonb       NOT NULL,
  closed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, month)
);
