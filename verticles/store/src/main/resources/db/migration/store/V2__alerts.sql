-- Alerts raised from rule and anomaly findings, and the audit trail of every change.
-- Times: first_seen_at/last_seen_at are event time (the findings' occurredAt);
-- created_at, updated_at, acknowledged_at, resolved_at and alert_audit.at are wall-clock.
CREATE TABLE IF NOT EXISTS alerts (
  alert_id        uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       text        NOT NULL,
  rule_id         text        NOT NULL,
  severity        text        NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH')),
  status          text        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
  subject         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  dedup_key       text        NOT NULL,
  first_seen_at   timestamptz NOT NULL,
  last_seen_at    timestamptz NOT NULL,
  count           bigint      NOT NULL DEFAULT 1 CHECK (count > 0),
  -- {"eventIds": [the last N event ids, oldest first], "values": {the latest finding's values}}
  evidence        jsonb       NOT NULL DEFAULT '{"eventIds": [], "values": {}}'::jsonb,
  explanation     text        NOT NULL DEFAULT '',
  trace_id        text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  acknowledged_by text,
  resolved_at     timestamptz,
  resolved_by     text
);

-- One live (not resolved) alert per dedup key: the upsert's conflict target. A resolved
-- alert leaves this index, so the next finding of the same key opens a new alert.
CREATE UNIQUE INDEX IF NOT EXISTS alerts_live_dedup ON alerts (tenant_id, dedup_key) WHERE status <> 'RESOLVED';
-- Resolved alerts of a key: a replayed finding they already hold must not open a new alert.
CREATE INDEX IF NOT EXISTS alerts_resolved_dedup ON alerts (tenant_id, dedup_key) WHERE status = 'RESOLVED';

-- The list query: newest first by (first_seen_at, alert_id), keyset-paginated, optionally
-- filtered by one status, severity or rule; each filter has an index in list order so that
-- a page reads about `limit` index entries, however many alerts the tenant has.
CREATE INDEX IF NOT EXISTS alerts_list ON alerts (tenant_id, first_seen_at, alert_id);
CREATE INDEX IF NOT EXISTS alerts_list_status ON alerts (tenant_id, status, first_seen_at, alert_id);
CREATE INDEX IF NOT EXISTS alerts_list_severity ON alerts (tenant_id, severity, first_seen_at, alert_id);
CREATE INDEX IF NOT EXISTS alerts_list_rule ON alerts (tenant_id, rule_id, first_seen_at, alert_id);

CREATE TABLE IF NOT EXISTS alert_audit (
  audit_id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id      uuid        NOT NULL REFERENCES alerts (alert_id) ON DELETE CASCADE,
  tenant_id     text        NOT NULL,
  action        text        NOT NULL CHECK (action IN ('created', 'updated', 'acknowledged', 'resolved')),
  actor         text        NOT NULL,
  note          text,
  at            timestamptz NOT NULL,
  status_before text,
  status_after  text        NOT NULL,
  -- created/updated: {"count": n} after the change
  details       jsonb
);

CREATE INDEX IF NOT EXISTS alert_audit_alert ON alert_audit (alert_id, audit_id);
-- handling times of a report: transitions of a tenant within a period
CREATE INDEX IF NOT EXISTS alert_audit_tenant_action ON alert_audit (tenant_id, action, at);

-- The ids of `incoming` (a JSON array of strings) that `existing` does not hold, in order.
CREATE OR REPLACE FUNCTION alert_new_event_ids(existing jsonb, incoming jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_agg(i.id ORDER BY i.n), '[]'::jsonb)
  FROM jsonb_array_elements(coalesce(incoming, '[]'::jsonb)) WITH ORDINALITY AS i(id, n)
  WHERE NOT coalesce(existing, '[]'::jsonb) @> jsonb_build_array(i.id)
$$;

-- The last `keep` elements of a JSON array, in order.
CREATE OR REPLACE FUNCTION alert_last_event_ids(ids jsonb, keep integer) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_agg(t.id ORDER BY t.n), '[]'::jsonb)
  FROM jsonb_array_elements(coalesce(ids, '[]'::jsonb)) WITH ORDINALITY AS t(id, n)
  WHERE t.n > jsonb_array_length(coalesce(ids, '[]'::jsonb)) - keep
$$;
