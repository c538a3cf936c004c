-- Accounts, sessions, API tokens, invitations, password resets, login throttling and the
-- e-mail outbox of one association.

-- A family: the unit parents belong to. Its file (parents, children) grows in later
-- migrations; accounts only need something to point to.
CREATE TABLE families (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Stored trimmed and lower-case: one address, one account.
    email text NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%.%' AND length(email) <= 254),
    display_name text NOT NULL DEFAULT '' CHECK (length(display_name) <= 200),
    -- Argon2id in PHC form; NULL until the invited person chooses a password.
    password_hash text CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),
    role text NOT NULL CHECK (role IN ('parent', 'animateur', 'direction')),
    family_id bigint REFERENCES families (id) ON DELETE CASCADE,
    disabled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz,
    last_login_at timestamptz,
    -- Parents belong to a family; staff to none.
    CHECK ((role = 'parent') = (family_id IS NOT NULL))
);

CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
CREATE INDEX accounts_family_idx ON accounts (family_id);

-- Browser sessions. The cookie holds a random id; only its SHA-256 is stored.
CREATE TABLE sessions (
    id_hash text PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    -- Absolute end (12 hours after login), whatever the activity.
    expires_at timestamptz NOT NULL,
    ip inet,
    user_agent text
);

CREATE INDEX sessions_account_idx ON sessions (account_id);

-- Bearer tokens of the JSON API; only the SHA-256 is stored.
CREATE TABLE api_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at timestamptz
);

CREATE INDEX api_tokens_account_idx ON api_tokens (account_id);

-- Single-use links: invitations (7 days) and password resets (30 minutes).
CREATE TABLE account_links (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    kind text NOT NULL CHECK (kind IN ('invitation', 'reset')),
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    created_by bigint REFERENCES accounts (id) ON DELETE SET NULL
);

CREATE INDEX account_links_account_idx ON account_links (account_id, kind);

-- Failed logins per account and per IP address, for the growing delay and the lock-out.
CREATE TABLE login_throttle (
    key text PRIMARY KEY,
    failures integer NOT NULL DEFAULT 0,
    first_failure_at timestamptz NOT NULL DEFAULT now(),
    last_failure_at timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz
);

-- Every e-mail, written in the same transaction as the change that causes it; a worker
-- delivers it later. Nothing committed is lost; a row is sent once.
CREATE TABLE outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    kind text NOT NULL,
    to_address text NOT NULL,
    subject text NOT NULL,
    body_text text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'captured', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    sent_at timestamptz
);

CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE status = 'pending';

-- Each delivery attempt, for operators chasing a lost mail.
CREATE TABLE outbox_attempts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbox_id bigint NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    at timestamptz NOT NULL DEFAULT now(),
    succeeded boolean NOT NULL,
    detail text
);

CREATE INDEX outbox_attempts_outbox_idx ON outbox_attempts (outbox_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);
