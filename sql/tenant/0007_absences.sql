-- Formulaire d'absence: a booked child will not come (or did not), with a reason and, when
-- there is one, a certificate stored with the family's documents.
CREATE TABLE absences (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id bigint NOT NULL UNIQUE REFERENCES bookings (id) ON DELETE CASCADE,
    family_id bigint NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 1000),
    document_id bigint REFERENCES documents (id) ON DELETE SET NULL,
    declared_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    declared_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX absences_family_idx ON absences (family_id);
