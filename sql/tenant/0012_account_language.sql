-- The language an account chose with the footer's switch: its pages after sign-in and the
-- e-mails sent to it. NULL: never chosen (the browser's language, else French).
ALTER TABLE accounts ADD COLUMN language text CHECK (language IN ('fr', 'en'));
