-- The waiting list's order is the order in which submissions arrived: their id, drawn from
-- a sequence before the dates' counters are locked (the lock order is the order in which
-- concurrent submissions happened to get there, which was the order before). Lines of one
-- submission follow their basket order (their own id).
DROP INDEX bookings_waiting_idx;
CREATE INDEX bookings_waiting_idx ON bookings (activity_id, day, submission_id, id) WHERE status = 'waiting';
