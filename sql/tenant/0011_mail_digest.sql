-- Digest e-mails: the staff's decisions for one family within a few minutes go out as one
-- mail. Such a mail waits (next_attempt_at in the future) under its key, e.g.
-- 'decisions:family:12'; a decision made meanwhile adds its lines (digest_lines, the mail's
-- list) and the mail is written again from them.
ALTER TABLE outbox ADD COLUMN digest_key text, ADD COLUMN digest_lines jsonb;
CREATE INDEX outbox_digest_idx ON outbox (digest_key, to_address) WHERE status = 'pending' AND digest_key IS NOT NULL;
