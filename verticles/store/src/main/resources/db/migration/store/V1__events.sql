-- Events as received, personal fields protected by the encryption stage.
-- (tenant_id, event_id) is the idempotency key: a replay inserts nothing.
CREATE TABLE IF NOT EXISTS events (
  tenant_id   text        NOT NULL,
  event_id    text        NOT NULL,
  type        text        NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  source      text        NOT NULL,
  payload     jsonb       NOT NULL,
  PRIMARY KEY (tenant_id, event_id)
);

CREATE INDEX IF NOT EXISTS events_tenant_occurred ON events (tenant_id, occurred_at);
