-- SEPA direct debit: the association's creditor details, the families' mandates, and the
-- batches the direction sends to its bank, one line per invoice. Money collected lands in
-- `payments` (method 'direct_debit') when the batch's file is produced; a reject or a return
-- gives it back as a refund of the same method, which re-opens the invoice.

ALTER TABLE payments DROP CONSTRAINT payments_method_check;
ALTER TABLE payments ADD CONSTRAINT payments_method_check
    CHECK (method IN ('cash', 'cheque', 'transfer', 'cesu', 'holiday_vouchers', 'card_terminal', 'online', 'direct_debit'));
ALTER TABLE refunds DROP CONSTRAINT refunds_method_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_method_check CHECK (method IN ('cash', 'cheque', 'transfer', 'direct_debit'));

-- The creditor: the association's name at the bank, account and SEPA creditor identifier (ICS).
CREATE TABLE direct_debit_settings (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    creditor_name text NOT NULL CHECK (length(creditor_name) BETWEEN 1 AND 70),
    creditor_iban text NOT NULL CHECK (creditor_iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$'),
    creditor_bic text NOT NULL CHECK (creditor_bic ~ '^[A-Z0-9]{8}([A-Z0-9]{3})?$'),
    creditor_identifier text NOT NULL CHECK (creditor_identifier ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{4,31}$'),
    enabled boolean NOT NULL DEFAULT true,
    updated_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A family's authorisation to debit an account. Never changed once signed: a new account is a
-- new mandate. `source` online: signed by a parent on the portal (who, when, from which
-- address); paper: entered by staff from the signed form. revoked: by the family or the
-- direction, or by the bank's reject (account closed, no mandate...).
CREATE TABLE mandates (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    family_id bigint REFERENCES families (id) ON DELETE SET NULL,
    reference text NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 35),
    debtor_name text NOT NULL CHECK (length(debtor_name) BETWEEN 1 AND 140),
    iban text NOT NULL CHECK (length(iban) BETWEEN 5 AND 34),
    bic text NOT NULL CHECK (length(bic) BETWEEN 8 AND 11),
    signed_on date NOT NULL,
    source text NOT NULL CHECK (source IN ('online', 'paper')),
    signed_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    signed_from text CHECK (length(signed_from) <= 100),
    signed_at timestamptz NOT NULL DEFAULT now(),
    state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'revoked')),
    revoked_at timestamptz,
    revoked_reason text CHECK (length(revoked_reason) <= 200),
    last_reject_reason text CHECK (length(last_reject_reason) <= 200),
    last_reject_on date,
    rejects integer NOT NULL DEFAULT 0,
    CHECK ((state = 'revoked') = (revoked_at IS NOT NULL))
);

-- At most one mandate in force per family: the one its invoices are debited from.
CREATE UNIQUE INDEX mandates_one_active_idx ON mandates (family_id) WHERE state = 'active';

-- A batch: one collection date, its invoices; draft until its file is produced (then the
-- payments exist and the lines are frozen).
CREATE TABLE debit_batches (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    collection_date date NOT NULL,
    state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted')),
    message_id text UNIQUE CHECK (length(message_id) <= 35),
    -- The creditor as the file named it (the settings may change afterwards).
    creditor_name text,
    creditor_iban text,
    creditor_bic text,
    creditor_identifier text,
    created_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    submitted_at timestamptz,
    CHECK ((state = 'submitted') = (submitted_at IS NOT NULL AND message_id IS NOT NULL))
);

CREATE TABLE debit_batch_lines (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id bigint NOT NULL REFERENCES debit_batches (id) ON DELETE CASCADE,
    mandate_id bigint NOT NULL REFERENCES mandates (id),
    invoice_id bigint NOT NULL REFERENCES invoices (id),
    amount_cents integer NOT NULL CHECK (amount_cents > 0),
    sequence text NOT NULL CHECK (sequence IN ('FRST', 'RCUR')),
    end_to_end_id text NOT NULL UNIQUE CHECK (length(end_to_end_id) <= 35),
    payment_id bigint UNIQUE REFERENCES payments (id),
    state text NOT NULL DEFAULT 'included' CHECK (state IN ('included', 'collected', 'rejected')),
    reject_reason text CHECK (length(reject_reason) <= 200),
    rejected_on date,
    UNIQUE (batch_id, invoice_id)
);

CREATE INDEX debit_batch_lines_mandate_idx ON debit_batch_lines (mandate_id);
CREATE INDEX debit_batch_lines_invoice_idx ON debit_batch_lines (invoice_id);

-- An invoice is presented once at a time: again only after a reject.
CREATE UNIQUE INDEX debit_batch_lines_presented_idx ON debit_batch_lines (invoice_id) WHERE state <> 'rejected';
