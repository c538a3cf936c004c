-- The control schema: which associations exist, where they live, who operated on them.
-- Applied with search_path = marelle by `marelle migrate`.

CREATE SEQUENCE tenant_id_seq;

CREATE TABLE tenants (
    id bigint PRIMARY KEY DEFAULT nextval('tenant_id_seq'),
    -- One DNS label: the tenant's host is <slug>.<base domain>.
    slug text NOT NULL UNIQUE
        CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' AND slug !~ '^xn--'),
    display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
    schema_name text NOT NULL UNIQUE CHECK (schema_name ~ '^t_[a-z0-9_]{1,40}$'),
    role_name text NOT NULL UNIQUE CHECK (role_name ~ '^[a-z][a-z0-9_]{0,62}$'),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at timestamptz NOT NULL DEFAULT now()
);

ALTER SEQUENCE tenant_id_seq OWNED BY tenants.id;

-- Extra host names (a city's own domain) that serve a tenant besides <slug>.<base domain>.
CREATE TABLE tenant_hosts (
    host text PRIMARY KEY CHECK (host = lower(host) AND host ~ '^[a-z0-9.-]{1,253}$'),
    tenant_id bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX tenant_hosts_tenant_idx ON tenant_hosts (tenant_id);

-- What operators did with the CLI, kept even when the tenant is gone.
CREATE TABLE operator_audit (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    operator text NOT NULL,
    action text NOT NULL,
    tenant_id bigint REFERENCES tenants (id) ON DELETE SET NULL,
    tenant_slug text,
    detail jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX operator_audit_tenant_idx ON operator_audit (tenant_id, at);
