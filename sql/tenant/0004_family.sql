-- The family file (fiche): legal guardians with their quotient familial, children with their
-- school, health and authorizations, and the people allowed to pick a child up.

CREATE TABLE guardians (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    family_id bigint NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    account_id bigint REFERENCES accounts (id) ON DELETE SET NULL,
    civility text CHECK (civility IN ('Mme', 'M.')),
    first_name text NOT NULL CHECK (length(btrim(first_name)) BETWEEN 1 AND 100),
    last_name text NOT NULL CHECK (length(btrim(last_name)) BETWEEN 1 AND 100),
    email text CHECK (email IS NULL OR email = lower(btrim(email))),
    mobile_phone text,
    home_phone text,
    work_phone text,
    street text,
    postal_code text,
    city text,
    employer text,
    caf_number text,
    quotient_familial integer CHECK (quotient_familial >= 0),
    qf_valid_from date,
    qf_valid_until date,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (qf_valid_from IS NULL OR qf_valid_until IS NULL OR qf_valid_from <= qf_valid_until)
);

CREATE INDEX guardians_family_idx ON guardians (family_id);

CREATE TABLE children (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    family_id bigint NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    first_name text NOT NULL CHECK (length(btrim(first_name)) BETWEEN 1 AND 100),
    last_name text NOT NULL CHECK (length(btrim(last_name)) BETWEEN 1 AND 100),
    birth_date date NOT NULL,
    sex text CHECK (sex IN ('F', 'M')),
    school text,
    level text CHECK (level IN ('PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2', 'collège')),
    allergies text NOT NULL DEFAULT '',
    diet text NOT NULL DEFAULT '',
    has_pai boolean NOT NULL DEFAULT false,
    doctor text NOT NULL DEFAULT '',
    vaccinations_up_to_date boolean,
    photo_consent boolean NOT NULL DEFAULT false,
    may_leave_alone boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX children_family_idx ON children (family_id);

CREATE TABLE pickup_persons (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    child_id bigint NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    phone text NOT NULL,
    relationship text NOT NULL DEFAULT ''
);

CREATE INDEX pickup_persons_child_idx ON pickup_persons (child_id);
