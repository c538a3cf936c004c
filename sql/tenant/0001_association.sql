-- A tenant schema: everything about one association. Applied with search_path set to the
-- tenant's schema alone and the tenant's role, so no object here may name another schema.

-- The association's own settings: one row.
CREATE TABLE association_settings (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
    contact_email text,
    phone text,
    postal_address text,
    opening_hours text,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every change by staff, parents, the system or an operator (SPEC section 4). Never holds
-- a password, a token or a request body.
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor_kind text NOT NULL CHECK (actor_kind IN ('operator', 'staff', 'parent', 'system', 'anonymous')),
    actor_id bigint,
    actor_label text,
    ip inet,
    action text NOT NULL,
    subject text,
    detail jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_at_idx ON audit_log (at);
