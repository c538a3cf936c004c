-- What parents can book: periods with their booking windows, activities, closures, prices
-- (with history: a new price applies to bookings made after it), and one counter of held
-- places per activity and date (the booking transaction updates it conditionally).

CREATE TABLE periods (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('school_year', 'holidays')),
    first_day date NOT NULL,
    last_day date NOT NULL,
    booking_opens_at timestamptz NOT NULL,
    booking_closes_at timestamptz NOT NULL,
    closed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (first_day <= last_day),
    CHECK (booking_opens_at < booking_closes_at)
);

CREATE TABLE activities (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    starts_at time NOT NULL,
    ends_at time NOT NULL,
    levels text[] NOT NULL DEFAULT '{}'
        CHECK (levels <@ ARRAY['PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2', 'collège']),
    minimum_age integer CHECK (minimum_age >= 0),
    maximum_age integer CHECK (maximum_age >= 0),
    capacity integer NOT NULL CHECK (capacity > 0),
    weekdays integer[] NOT NULL CHECK (weekdays <@ ARRAY[1, 2, 3, 4, 5, 6, 7]),
    validation_mode text NOT NULL CHECK (validation_mode IN ('manual', 'automatic')),
    booking_days_before integer NOT NULL CHECK (booking_days_before BETWEEN 0 AND 365),
    booking_time time NOT NULL,
    booking_working_days boolean NOT NULL DEFAULT false,
    cancel_days_before integer NOT NULL CHECK (cancel_days_before BETWEEN 0 AND 365),
    cancel_time time NOT NULL,
    cancel_working_days boolean NOT NULL DEFAULT false,
    closed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at),
    CHECK (minimum_age IS NULL OR maximum_age IS NULL OR minimum_age <= maximum_age)
);

CREATE TABLE activity_periods (
    activity_id bigint NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    period_id bigint NOT NULL REFERENCES periods (id) ON DELETE RESTRICT,
    PRIMARY KEY (activity_id, period_id)
);

CREATE INDEX activity_periods_period_idx ON activity_periods (period_id);

-- Days the association or one activity is closed (activity_id NULL: everything).
CREATE TABLE closures (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id bigint REFERENCES activities (id) ON DELETE CASCADE,
    first_day date NOT NULL,
    last_day date NOT NULL,
    reason text NOT NULL DEFAULT '',
    CHECK (first_day <= last_day)
);

-- Single dates added to (runs) or removed from (NOT runs) an activity's calendar.
CREATE TABLE activity_date_changes (
    activity_id bigint NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    day date NOT NULL,
    runs boolean NOT NULL,
    PRIMARY KEY (activity_id, day)
);

-- Price history: the price of a booking is the one in force when it is submitted.
CREATE TABLE activity_prices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id bigint NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    effective_from timestamptz NOT NULL DEFAULT now(),
    flat_cents integer CHECK (flat_cents >= 0),
    -- [{"upTo": 500, "cents": 100}, ..., {"upTo": null, "cents": 200}]
    brackets jsonb,
    CHECK ((flat_cents IS NULL) <> (brackets IS NULL))
);

CREATE INDEX activity_prices_activity_idx ON activity_prices (activity_id, effective_from DESC);

-- Places held per activity and date: the booking transaction increments it only while it
-- is below capacity (UPDATE ... WHERE held < capacity), never check-then-act.
CREATE TABLE activity_days (
    activity_id bigint NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    day date NOT NULL,
    held integer NOT NULL DEFAULT 0 CHECK (held >= 0),
    PRIMARY KEY (activity_id, day)
);
