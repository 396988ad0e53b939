-- Internal notes: what the team writes in a conversation for itself. Never sent: notes live in a
-- table of their own, which no sending path reads. A note's author is an operator or a program
-- (its API token), named as they were when they wrote it. `@Name` in a note mentions an operator:
-- one row per operator mentioned, seen or not yet.
CREATE TABLE "notes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_id" UUID NOT NULL,
    "author_kind" TEXT NOT NULL,
    "author_id" UUID,
    "author_name" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notes_author_kind_check" CHECK ("author_kind" IN ('OPERATOR', 'TOKEN'))
);
CREATE INDEX "notes_conversation_id_created_at_id_idx" ON "notes"("conversation_id", "created_at", "id");
ALTER TABLE "notes" ADD CONSTRAINT "notes_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "note_mentions" (
    "operator_id" UUID NOT NULL,
    "note_id" UUID NOT NULL,
    "seen_at" TIMESTAMPTZ(3),

    CONSTRAINT "note_mentions_pkey" PRIMARY KEY ("operator_id", "note_id")
);
CREATE INDEX "note_mentions_note_id_idx" ON "note_mentions"("note_id");
ALTER TABLE "note_mentions" ADD CONSTRAINT "note_mentions_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "operators"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "note_mentions" ADD CONSTRAINT "note_mentions_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "notes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A note changes its conversation (its newest note and how many), so the change feed carries it to
-- every window and to a subscriber resuming by cursor, like every other change to a conversation.
ALTER TABLE "conversations" ADD COLUMN "last_note_id" UUID;
ALTER TABLE "conversations" ADD COLUMN "note_count" INTEGER NOT NULL DEFAULT 0;
