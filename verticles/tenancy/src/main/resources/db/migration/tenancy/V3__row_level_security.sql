-- Row-level security on every tenant table: a row is visible, insertable, changeable and deletable only in a
-- transaction whose ott.tenant (set_config(..., true), see Postgres.inTenant) is its tenant_id; no tenant set = no rows.
-- FORCE: the owner is subject to the policies too (a superuser still is not: the application never connects as one).
-- tenants itself is a tenant table: a tenant's name and tier are its own. The questions that span tenants (which
-- tenant holds this API key, which tenant has this name, which tenants exist) are answered by the SECURITY DEFINER
-- functions below, owned by ott_directory, which may read only the columns they need and return only ids.

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

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants TO ott_app;

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON api_keys TO ott_app;

ALTER TABLE tier_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE tier_changes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tier_changes
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON tier_changes TO ott_app;

ALTER TABLE usage_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_daily FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_daily
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON usage_daily TO ott_app;

ALTER TABLE usage_meter_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_meter_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_meter_keys
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON usage_meter_keys TO ott_app;

ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoices
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO ott_app;

DO $$
BEGIN
  EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO ott_app', pg_get_serial_sequence('tier_changes', 'change_id'));
END
$$;

-- The directory: ott_directory reads the few columns it needs of every tenant; nobody logs in as it or is a member
-- of it, so only the functions it owns use that reach, and they return ids, never tenant data.
GRANT SELECT (tenant_id, name, created_at) ON tenants TO ott_directory;
GRANT SELECT (key_id, tenant_id, key_hash, revoked_at) ON api_keys TO ott_directory;
CREATE POLICY directory_lookup ON tenants FOR SELECT TO ott_directory USING (true);
CREATE POLICY directory_lookup ON api_keys FOR SELECT TO ott_directory USING (true);

-- Authentication: the key and tenant of a live API key, found by the hash only its holder can compute.
CREATE FUNCTION ott_api_key_owner(hash text) RETURNS TABLE (key_id text, tenant_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.key_id, k.tenant_id FROM api_keys k WHERE k.key_hash = hash AND k.revoked_at IS NULL
$$;

-- The admin's idempotent "ensure tenant": the id of the tenant of that name, if any.
CREATE FUNCTION ott_tenant_named(tenant_name text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.tenant_id FROM tenants t WHERE t.name = tenant_name
$$;

-- Jobs that work tenant by tenant (closing a month's invoices, pruning idempotency keys): the ids of the tenants
-- created before a time, in id order after `after_id`, at most `max_rows`.
CREATE FUNCTION ott_tenant_ids(created_before timestamptz, after_id text, max_rows int) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.tenant_id FROM tenants t
  WHERE t.created_at < created_before AND t.tenant_id > coalesce(after_id, '')
  ORDER BY t.tenant_id LIMIT max_rows
$$;

ALTER FUNCTION ott_api_key_owner(text) OWNER TO ott_directory;
ALTER FUNCTION ott_tenant_named(text) OWNER TO ott_directory;
ALTER FUNCTION ott_tenant_ids(timestamptz, text, int) OWNER TO ott_directory;
REVOKE ALL ON FUNCTION ott_api_key_owner(text), ott_tenant_named(text), ott_tenant_ids(timestamptz, text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ott_api_key_owner(text), ott_tenant_named(text), ott_tenant_ids(timestamptz, text, int) TO ott_app;
