-- The family file's second half: staff notes, the privacy text and its versions, the consents
-- parents give when they validate their file, and the documents they send.

-- A guardian invited by e-mail has no name until they fill in their file.
ALTER TABLE guardians DROP CONSTRAINT guardians_first_name_check;
ALTER TABLE guardians DROP CONSTRAINT guardians_last_name_check;
ALTER TABLE guardians ADD CHECK (length(first_name) <= 100), ADD CHECK (length(last_name) <= 100);

ALTER TABLE families ADD COLUMN notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 5000);
CREATE INDEX families_name_idx ON families (lower(name));

ALTER TABLE children ADD COLUMN vaccination_notes text NOT NULL DEFAULT '';

-- "Traitement des données": each publication is a new version; parents accept the current one.
CREATE TABLE privacy_texts (
    version integer PRIMARY KEY CHECK (version > 0),
    body text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 50000),
    published_at timestamptz NOT NULL DEFAULT now(),
    published_by bigint REFERENCES accounts (id) ON DELETE SET NULL
);

-- A consent: a parent certified their file (or a part of it) and accepted a version of the
-- privacy text, at a time (UTC). Kept while the family exists.
CREATE TABLE consents (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    family_id bigint NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- What was validated: 'guardian:ID', 'child:ID' or 'privacy' (the text alone, at login).
    subject text NOT NULL,
    certified boolean NOT NULL,
    privacy_version integer NOT NULL REFERENCES privacy_texts (version),
    accepted_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX consents_account_idx ON consents (account_id, privacy_version);
CREATE INDEX consents_family_idx ON consents (family_id);

-- Documents sent by families: the bytes live here, in the tenant's schema, like the rest of
-- the file. The type is the one found in the first bytes, never the name's.
CREATE TABLE documents (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    family_id bigint NOT NULL REFERENCES families (id) ON DELETE CASCADE,
    child_id bigint REFERENCES children (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('vaccinations', 'insurance', 'caf', 'absence', 'other')),
    file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 120),
    content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/gif', 'image/jpeg')),
    byte_size integer NOT NULL CHECK (byte_size BETWEEN 1 AND 10485760),
    sha256 text NOT NULL,
    content bytea NOT NULL,
    status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'accepted', 'refused')),
    refusal_reason text,
    uploaded_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    decided_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
    decided_at timestamptz,
    CHECK ((status = 'refused') = (refusal_reason IS NOT NULL))
);

-- The bytes are large: keep them out of the table's main pages, uncompressed (pdf and images
-- are compressed already).
ALTER TABLE documents ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE INDEX documents_family_idx ON documents (family_id, uploaded_at DESC);
CREATE INDEX documents_pending_idx ON documents (uploaded_at) WHERE status = 'received';

-- Audit entries name what they are about ('family:ID', 'child:ID'...), so that erasing a
-- family can find every entry about it.
CREATE INDEX audit_log_subject_idx ON audit_log (subject);

-- Version 1: a default text, so that parents always have one to read and accept; the
-- association publishes its own from /gestion/traitement-des-donnees.
INSERT INTO privacy_texts (version, body) VALUES (1, $$L'association collecte les informations de votre dossier (responsables légaux, enfants, santé, autorisations, personnes habilitées à venir chercher les enfants) et les documents que vous transmettez, pour organiser l'accueil de vos enfants, assurer leur sécurité et facturer les activités.

Ces données ne sont accessibles qu'à l'équipe de l'association et ne sont transmises à aucun tiers, sauf obligation légale. Les informations de santé ne sont consultées que par l'équipe d'animation, pour la sécurité de l'enfant.

Elles sont conservées tant que votre famille est inscrite, puis supprimées. Vous pouvez à tout moment télécharger l'ensemble des données vous concernant depuis « Mon compte », demander leur rectification ou leur effacement en écrivant à l'association.$$);
