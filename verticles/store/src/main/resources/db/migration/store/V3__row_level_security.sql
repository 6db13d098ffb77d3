-- Row-level security on every tenant table: a row is visible, insertable, changeable and deletable only in a
-- transaction whose ott.tenant (set_config(..., true), see Postgres.inTenant) is its tenant_id; no tenant set = no rows.
-- FORCE: the owner is subject to the policies too (a superuser still is not: the application never connects as one).

-- The application role (verticles query as it, never as the owner) and the directory role (owns the few
-- SECURITY DEFINER functions that answer cross-tenant questions with tenant ids only). Roles are cluster-wide
-- and every module's migration may create them, concurrently at start-up: create when missing, tolerate a race.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ott_app') THEN
    BEGIN
      CREATE ROLE ott_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ott_directory') THEN
    BEGIN
      CREATE ROLE ott_directory NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
END
$$;

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON events
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON events TO ott_app;

ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE alerts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON alerts
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON alerts TO ott_app;

ALTER TABLE alert_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_audit FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON alert_audit
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON alert_audit TO ott_app;

-- the identity sequence of the audit trail
DO $$
BEGIN
  EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO ott_app', pg_get_serial_sequence('alert_audit', 'audit_id'));
END
$$;
