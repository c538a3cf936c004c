-- Online payment: one row per attempt, its invoices, the provider's notifications as
-- received, the association's provider credentials (sealed), and the fake provider's own
-- checkouts (development and tests only). The money itself lands in `payments` (method
-- 'online') only once the provider's server has confirmed it.

ALTER TABLE payments DROP CONSTRAINT payments_method_check;
ALTER TABLE payments ADD CONSTRAINT payments_method_check
    CHECK (method IN ('cash', 'cheque', 'transfer', 'cesu', 'holiday_vouchers', 'card_terminal', 'online'));

-- The association's provider. `credentials` is AES-256-GCM sealed JSON (the configuration's
-- `paymentsKey`); `credentials_hint` is what pages show of it (the secret's last 4 characters).
CREATE TABLE payment_provider_settings (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    provider text NOT NULL CHECK (provider IN ('fake', 'stripe', 'helloasso', 'payfip')),
    credentials bytea NOT NULL,
    credentials_hint text NOT NULL DEFAULT '',
    enabled boolean NOT NULL DEFAULT true,
    updated_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- created: the row exists, the provider not asked yet; pending: the parent was sent to the
-- provider; paid: the provider's server confirmed it (then `payment_id` holds the money);
-- failed / expired: it did not happen (a later confirmation still makes it paid: the money
-- was taken); refunded: given back.
CREATE TABLE online_payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    family_id bigint REFERENCES families (id) ON DELETE SET NULL,
    family_name text NOT NULL,
    provider text NOT NULL CHECK (provider IN ('fake', 'stripe', 'helloasso', 'payfip')),
    state text NOT NULL DEFAULT 'created' CHECK (state IN ('created', 'pending', 'paid', 'failed', 'expired', 'refunded')),
    amount_cents integer NOT NULL CHECK (amount_cents > 0),
    currency text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    checkout_ref text CHECK (length(checkout_ref) <= 255),
    transaction_ref text CHECK (length(transaction_ref) <= 255),
    payment_id bigint UNIQUE REFERENCES payments (id),
    failure text CHECK (length(failure) <= 500),
    started_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    checked_at timestamptz,
    settled_at timestamptz,
    UNIQUE (provider, checkout_ref),
    UNIQUE (provider, transaction_ref),
    CHECK ((state = 'paid') = (payment_id IS NOT NULL) OR state = 'refunded')
);

CREATE INDEX online_payments_family_idx ON online_payments (family_id, created_at);
CREATE INDEX online_payments_open_idx ON online_payments (created_at) WHERE state IN ('created', 'pending');

-- What an attempt means to pay, per invoice (what each owed when it started).
CREATE TABLE online_payment_invoices (
    online_payment_id bigint NOT NULL REFERENCES online_payments (id),
    invoice_id bigint NOT NULL REFERENCES invoices (id),
    amount_cents integer NOT NULL CHECK (amount_cents > 0),
    PRIMARY KEY (online_payment_id, invoice_id)
);

-- Every notification as received, forged ones included (what the provider said, and what
-- Marelle did with it).
CREATE TABLE payment_notifications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    event_ref text CHECK (length(event_ref) <= 255),
    signature_valid boolean NOT NULL,
    online_payment_id bigint REFERENCES online_payments (id),
    outcome text NOT NULL CHECK (length(outcome) <= 200),
    remote_ip text,
    body text NOT NULL CHECK (length(body) <= 20000)
);

CREATE INDEX payment_notifications_payment_idx ON payment_notifications (online_payment_id);

-- The fake provider's side (development and tests): what a real provider keeps.
CREATE TABLE fake_provider_checkouts (
    id text PRIMARY KEY CHECK (length(id) <= 64),
    reference text NOT NULL,
    secret text NOT NULL,
    amount_cents integer NOT NULL,
    currency text NOT NULL,
    description text NOT NULL,
    return_url text NOT NULL,
    cancel_url text NOT NULL,
    notify_url text NOT NULL,
    state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'paid', 'failed', 'expired')),
    transaction_id text,
    created_at timestamptz NOT NULL DEFAULT now()
);
