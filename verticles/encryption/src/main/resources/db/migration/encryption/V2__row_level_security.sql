-- Row-level security on every tenant table: a row is visible, insertable, changeable and deletable only in a
-- transaction whose ott.tenant (set_config(..., true), see Postgres.inTenant) is its tenant_id; no tenant set = no rows.
-- FORCE: the owner is subject to the policies too (a superuser still is not: the application never connects as one).
-- tenant_keysets_shredded is per tenant as well: it is only ever asked about the tenant at hand, and its rows
-- outlive the tenant (the policy compares ids, it needs no tenants row).

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

ALTER TABLE tenant_keysets ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_keysets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_keysets
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_keysets TO ott_app;

ALTER TABLE tenant_keysets_shredded ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_keysets_shredded FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_keysets_shredded
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_keysets_shredded TO ott_app;

ALTER TABLE encryption_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE encryption_audit FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON encryption_audit
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON encryption_audit TO ott_app;

ALTER TABLE rewrap_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE rewrap_jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON rewrap_jobs
  USING (tenant_id = current_setting('ott.tenant', true))
  WITH CHECK (tenant_id = current_setting('ott.tenant', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON rewrap_jobs TO ott_app;

DO $$
BEGIN
  EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO ott_app', pg_get_serial_sequence('encryption_audit', 'id'));
END
$$;

-- The directory (see the tenancy migration): ott_directory reads only ids, purposes and times, never a keyset.
GRANT SELECT (tenant_id, purpose, rotated_at) ON tenant_keysets TO ott_directory;
GRANT SELECT (job_id, tenant_id) ON rewrap_jobs TO ott_directory;
CREATE POLICY directory_lookup ON tenant_keysets FOR SELECT TO ott_directory USING (true);
CREATE POLICY directory_lookup ON rewrap_jobs FOR SELECT TO ott_directory USING (true);

-- The rotation timer: tenants whose primary AEAD key is older than max_age_secs, oldest first.
CREATE FUNCTION ott_keysets_due_for_rotation(max_age_secs double precision, max_rows int) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.tenant_id FROM tenant_keysets k
  WHERE k.purpose = 'aead' AND k.rotated_at < now() - make_interval(secs => max_age_secs)
  ORDER BY k.rotated_at LIMIT max_rows
$$;

-- The start-up KEK check: the tenant whose keyset was written last (its keyset is then read as that tenant).
CREATE FUNCTION ott_newest_keyset_tenant() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.tenant_id FROM tenant_keysets k ORDER BY k.rotated_at DESC LIMIT 1
$$;

-- The admin's rewrap job status by job id: the job's tenant (its progress is then read as that tenant).
CREATE FUNCTION ott_rewrap_job_tenant(id text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT j.tenant_id FROM rewrap_jobs j WHERE j.job_id = id
$$;

ALTER FUNCTION ott_keysets_due_for_rotation(double precision, int) OWNER TO ott_directory;
ALTER FUNCTION ott_newest_keyset_tenant() OWNER TO ott_directory;
ALTER FUNCTION ott_rewrap_job_tenant(text) OWNER TO ott_directory;
REVOKE ALL ON FUNCTION ott_keysets_due_for_rotation(double precision, int), ott_newest_keyset_tenant(),
  ott_rewrap_job_tenant(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ott_keysets_due_for_rotation(double precision, int), ott_newest_keyset_tenant(),
  ott_rewrap_job_tenant(text) TO ott_app;
