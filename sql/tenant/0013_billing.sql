-- Billing: the rules per activity, the invoices and credit notes made from the frozen booking
-- lines (immutable once issued, numbered without gaps per year), and the family's account:
-- payments received at the desk, their allocation to invoices, and refunds.

-- How an activity's booking lines become invoice lines. No row: the defaults (booked days,
-- an absence free when its certificate came within 2 days, else billed in full).
CREATE TABLE billing_rules (
    activity_id bigint PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
    -- booked: every validated date; attended: a no-show is billed as an absence without
    -- certificate (a date with no check-in recorded is billed as booked).
    basis text NOT NULL DEFAULT 'booked' CHECK (basis IN ('booked', 'attended')),
    -- An absence declared with a certificate at most this many days after the date is free.
    certificate_days integer NOT NULL DEFAULT 2 CHECK (certificate_days BETWEEN 0 AND 60),
    -- What an absence without certificate (or with one sent too late) costs, in % of the price.
    absence_percent integer NOT NULL DEFAULT 100 CHECK (absence_percent BETWEEN 0 AND 100),
    -- Childcare counts for the tax certificate (frais de garde); a meal does not.
    childcare boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The association's billing settings.
ALTER TABLE association_settings
    ADD COLUMN siret text CHECK (siret ~ '^[0-9]{14}$'),
    ADD COLUMN payment_days integer NOT NULL DEFAULT 30 CHECK (payment_days BETWEEN 0 AND 120),
    -- Days after the due date before the reminder mail; NULL: no reminder.
    ADD COLUMN reminder_days integer CHECK (reminder_days BETWEEN 1 AND 120),
    -- New bookings are refused while the overdue balance exceeds this; NULL: never.
    ADD COLUMN blocking_cents integer CHECK (blocking_cents >= 0);

-- The last number given per series and year: the issuing transaction takes it with
-- UPDATE ... RETURNING (a row lock), so concurrent runs queue and leave neither gap nor twin.
CREATE TABLE document_counters (
    series text NOT NULL CHECK (series IN ('F', 'A', 'R')),
    year integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    last_number integer NOT NULL CHECK (last_number >= 0),
    PRIMARY KEY (series, year)
);

-- One press of "Émettre les factures" (or the CLI's, or the API's).
CREATE TABLE invoicing_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    run_at timestamptz NOT NULL DEFAULT now(),
    run_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    run_by_label text NOT NULL DEFAULT '',
    invoice_count integer NOT NULL,
    total_cents bigint NOT NULL
);

-- Invoices (F2027-000123) and credit notes (A2027-000004, referencing the invoice they
-- correct). The family's name and address are copied: an invoice says what it said when issued.
CREATE TABLE invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    number text NOT NULL UNIQUE,
    family_id bigint REFERENCES families (id) ON DELETE SET NULL,
    family_name text NOT NULL,
    billing_address text NOT NULL DEFAULT '',
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    issued_on date NOT NULL,
    due_on date NOT NULL,
    total_cents integer NOT NULL CHECK (total_cents >= 0),
    credits_invoice_id bigint REFERENCES invoices (id),
    reason text CHECK (length(reason) <= 1000),
    run_id bigint REFERENCES invoicing_runs (id),
    issued_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    issued_at timestamptz NOT NULL DEFAULT now(),
    -- When the reminder mail went (once).
    reminded_at timestamptz,
    CHECK ((kind = 'credit_note') = (credits_invoice_id IS NOT NULL)),
    CHECK ((kind = 'credit_note') = (reason IS NOT NULL))
);

CREATE INDEX invoices_family_idx ON invoices (family_id, issued_on);
CREATE INDEX invoices_month_idx ON invoices (month);
CREATE INDEX invoices_credits_idx ON invoices (credits_invoice_id) WHERE credits_invoice_id IS NOT NULL;

CREATE TABLE invoice_lines (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id bigint NOT NULL REFERENCES invoices (id),
    position integer NOT NULL,
    booking_id bigint REFERENCES bookings (id) ON DELETE SET NULL,
    child_id bigint REFERENCES children (id) ON DELETE SET NULL,
    day date,
    label text NOT NULL CHECK (length(label) BETWEEN 1 AND 500),
    -- full, absence-excused (free), absence (billed at the rule's percentage), no-show,
    -- credit (a credit note's line).
    rule text NOT NULL CHECK (rule IN ('full', 'absence-excused', 'absence', 'no-show', 'credit')),
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    amount_cents integer NOT NULL CHECK (amount_cents >= 0),
    childcare boolean NOT NULL DEFAULT true,
    UNIQUE (invoice_id, position)
);

-- A booking line is invoiced once: a re-run of the month finds it taken.
CREATE UNIQUE INDEX invoice_lines_booking_key ON invoice_lines (booking_id) WHERE rule <> 'credit' AND booking_id IS NOT NULL;
CREATE INDEX invoice_lines_child_idx ON invoice_lines (child_id);

-- Issued is final: only the links that a family's erasure empties may change.
CREATE FUNCTION invoices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'an issued invoice cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_TABLE_NAME = 'invoices' THEN
        IF (NEW.kind, NEW.number, NEW.family_name, NEW.billing_address, NEW.month, NEW.issued_on, NEW.due_on,
            NEW.total_cents, NEW.credits_invoice_id, NEW.reason, NEW.run_id, NEW.issued_at)
           IS DISTINCT FROM
           (OLD.kind, OLD.number, OLD.family_name, OLD.billing_address, OLD.month, OLD.issued_on, OLD.due_on,
            OLD.total_cents, OLD.credits_invoice_id, OLD.reason, OLD.run_id, OLD.issued_at)
           OR (NEW.family_id IS DISTINCT FROM OLD.family_id AND NEW.family_id IS NOT NULL) THEN
            RAISE EXCEPTION 'an issued invoice cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSE
        IF (NEW.invoice_id, NEW.position, NEW.day, NEW.label, NEW.rule, NEW.price_cents, NEW.amount_cents, NEW.childcare)
           IS DISTINCT FROM
           (OLD.invoice_id, OLD.position, OLD.day, OLD.label, OLD.rule, OLD.price_cents, OLD.amount_cents, OLD.childcare)
           OR (NEW.booking_id IS DISTINCT FROM OLD.booking_id AND NEW.booking_id IS NOT NULL)
           OR (NEW.child_id IS DISTINCT FROM OLD.child_id AND NEW.child_id IS NOT NULL) THEN
            RAISE EXCEPTION 'an issued invoice cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines
    FOR EACH ROW EXECUTE FUNCTION invoices_immutable();

-- Money received (at the desk: cash, cheque, transfer, CESU, chèques vacances, card on a
-- terminal), each with its receipt number (R2027-000001).
CREATE TABLE payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    family_id bigint REFERENCES families (id) ON DELETE SET NULL,
    family_name text NOT NULL,
    method text NOT NULL CHECK (method IN ('cash', 'cheque', 'transfer', 'cesu', 'holiday_vouchers', 'card_terminal')),
    reference text NOT NULL DEFAULT '' CHECK (length(reference) <= 100),
    amount_cents integer NOT NULL CHECK (amount_cents > 0),
    received_on date NOT NULL,
    receipt_number text NOT NULL UNIQUE,
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    recorded_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CHECK (method <> 'cheque' OR length(btrim(reference)) > 0)
);

CREATE INDEX payments_family_idx ON payments (family_id, received_on);

-- Which invoice a payment pays, and how much of it. The sum per payment never exceeds the
-- payment (what is left is the family's credit), nor per invoice what the invoice still owes.
CREATE TABLE allocations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id bigint NOT NULL REFERENCES payments (id),
    invoice_id bigint NOT NULL REFERENCES invoices (id),
    amount_cents integer NOT NULL CHECK (amount_cents > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (payment_id, invoice_id)
);

CREATE INDEX allocations_invoice_idx ON allocations (invoice_id);

-- Credit given back to a family, out of a payment's unallocated part.
CREATE TABLE refunds (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id bigint NOT NULL REFERENCES payments (id),
    family_id bigint REFERENCES families (id) ON DELETE SET NULL,
    method text NOT NULL CHECK (method IN ('cash', 'cheque', 'transfer')),
    amount_cents integer NOT NULL CHECK (amount_cents > 0),
    refunded_on date NOT NULL,
    recorded_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX refunds_family_idx ON refunds (family_id);
