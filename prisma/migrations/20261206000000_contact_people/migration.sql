-- One person, several addresses: contact rows that share a person_id are one person (a mobile and
-- an office number). Null: the address is a person of its own. Name and notes are kept the same on
-- every row of a person, so anything that reads one row reads the person's.
ALTER TABLE "contacts" ADD COLUMN "person_id" UUID;
CREATE INDEX "contacts_person_id_idx" ON "contacts"("person_id");
-- A name typed as a recipient is looked up on every such send.
CREATE INDEX "contacts_name_lower_idx" ON "contacts"(lower("name"));

-- A merge of two contacts, kept so whoever made it can undo it while their session (or token)
-- lasts: `before` is every row of both as it was (address, person_id, name, notes, and whether the
-- row existed). Deleted when undone, and with the contact when it is erased.
CREATE TABLE "contact_merges" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "actor_key" TEXT NOT NULL,
    "before" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_merges_pkey" PRIMARY KEY ("id")
);
