-- Bookings: the basket (panier) that survives logout, the submissions (with their
-- Idempotency-Key), and the booking lines, one child x one activity x one date.

CREATE TABLE bookings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id bigint,
    -- Kept (anonymised: NULL) when a family is erased: the association's accounts need them.
    family_id bigint REFERENCES families (id) ON DELETE SET NULL,
    child_id bigint REFERENCES children (id) ON DELETE SET NULL,
    activity_id bigint NOT NULL REFERENCES activities (id),
    day date NOT NULL,
    -- requested (demandée, holds a place), waiting (liste d'attente), validated (validée),
    -- refused (refusée), cancel_requested (annulation demandée, still holds its place),
    -- cancelled (annulée).
    status text NOT NULL CHECK (status IN ('requested', 'waiting', 'validated', 'refused', 'cancel_requested', 'cancelled')),
    -- Frozen when submitted: a later price change does not touch it.
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    -- First in, first out: the waiting list's order.
    requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    cancel_requested_at timestamptz,
    decided_at timestamptz,
    decided_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    refusal_reason text
);

-- A child is never booked twice for the same activity and date.
CREATE UNIQUE INDEX bookings_live_key ON bookings (child_id, activity_id, day)
    WHERE status IN ('requested', 'waiting', 'validated', 'cancel_requested');
CREATE INDEX bookings_queue_idx ON bookings (requested_at) WHERE status IN ('requested', 'cancel_requested');
CREATE INDEX bookings_waiting_idx ON bookings (activity_id, day, requested_at) WHERE status = 'waiting';
CREATE INDEX bookings_family_idx ON bookings (family_id, day);
CREATE INDEX bookings_child_idx ON bookings (child_id, day);

-- A submission of a basket; with an Idempotency-Key, the answer is kept so that the same
-- request sent again gets it back without a second effect.
CREATE TABLE submissions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    family_id bigint REFERENCES families (id) ON DELETE SET NULL,
    account_id bigint REFERENCES accounts (id) ON DELETE SET NULL,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    request_hash text,
    response jsonb
);

CREATE UNIQUE INDEX submissions_idempotency_key ON submissions (account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
ALTER TABLE bookings ADD FOREIGN KEY (submission_id) REFERENCES submissions (id) ON DELETE SET NULL;

-- The basket: lines waiting for "Valider". Bookings and cancellations side by side.
CREATE TABLE basket_lines (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    family_id bigint NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    child_id bigint NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    activity_id bigint NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    day date NOT NULL,
    kind text NOT NULL CHECK (kind IN ('booking', 'cancellation')),
    booking_id bigint REFERENCES bookings (id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (child_id, activity_id, day, kind),
    CHECK ((kind = 'cancellation') = (booking_id IS NOT NULL))
);

CREATE INDEX basket_lines_family_idx ON basket_lines (family_id);
