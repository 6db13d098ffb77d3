-- Fields a tenant marks personal beyond accountId, deviceId and ip (top-level names or attributes.<name>):
-- the encryption stage tokenises and seals them like the default ones.
ALTER TABLE tenants ADD COLUMN IF NOT EXISTS personal_fields text[] NOT NULL DEFAULT '{}';
