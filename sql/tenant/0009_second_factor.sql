-- A second factor for staff (TOTP, RFC 6238) and the association's rule that makes it
-- mandatory. Secrets are sealed with the server's `secondFactorKey` (AES-256-GCM) before
-- they are stored: a copy of the database does not give the codes.

-- One authenticator per account. `confirmed_at` NULL: enrolment started, not yet proven by
-- a code (such a row signs nobody in and is replaced by the next attempt).
CREATE TABLE second_factors (
    account_id bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    sealed_secret bytea NOT NULL CHECK (length(sealed_secret) BETWEEN 29 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    confirmed_at timestamptz,
    -- The last 30-second step whose code was accepted: that code, and older ones, are refused.
    last_step bigint
);

-- Ten single-use codes per enrolment, for a lost phone; only their SHA-256 is stored.
CREATE TABLE recovery_codes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash text NOT NULL,
    used_at timestamptz,
    UNIQUE (account_id, code_hash)
);

-- Between the password and the code: what a login page or API call hands back to prove the
-- password was right, for a few minutes and a few tries. Only the SHA-256 of the token is
-- stored. `purpose` 'code': the account has a second factor; 'enrol': the association
-- requires one and the account has none yet.
CREATE TABLE login_challenges (
    token_hash text PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('code', 'enrol')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    failures integer NOT NULL DEFAULT 0
);

CREATE INDEX login_challenges_account_idx ON login_challenges (account_id);

-- The direction's rule: staff sign in with a second factor.
ALTER TABLE association_settings ADD COLUMN staff_second_factor boolean NOT NULL DEFAULT false;
