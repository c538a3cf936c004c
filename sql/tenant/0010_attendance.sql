-- Présences: what happened on the day for each booking (arrival, departure, who picked the
-- child up, or a no-show), one row per booking so that two tablets ticking the same child
-- keep one record (the second tick updates the first). A child who came without a booking
-- gets a validated booking made on the spot, marked unexpected.
CREATE TABLE attendance (
    booking_id bigint PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
    arrived_at timestamptz,
    left_at timestamptz,
    picked_up_by text CHECK (length(picked_up_by) <= 200),
    no_show boolean NOT NULL DEFAULT false,
    unexpected boolean NOT NULL DEFAULT false,
    recorded_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT no_show OR (arrived_at IS NULL AND left_at IS NULL)),
    CHECK (left_at IS NULL OR (arrived_at IS NOT NULL AND arrived_at <= left_at))
);

-- The day's list and the monthly reports read bookings by activity and date.
CREATE INDEX bookings_activity_day_idx ON bookings (activity_id, day);
