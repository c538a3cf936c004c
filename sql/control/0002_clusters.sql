-- Which PostgreSQL cluster holds each tenant's schema (NULL: this one, which also holds the
-- control schema), and the `moving` status: read-only while `marelle tenant move` copies it.
ALTER TABLE tenants ADD COLUMN cluster text CHECK (cluster ~ '^[a-z][a-z0-9_-]{0,30}$');
ALTER TABLE tenants DROP CONSTRAINT tenants_status_check;
ALTER TABLE tenants ADD CONSTRAINT tenants_status_check CHECK (status IN ('active', 'disabled', 'moving'));
