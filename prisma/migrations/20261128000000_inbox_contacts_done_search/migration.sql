-- CreateEnum: why a number is opted out, so the inbox can say what actually happened.
CREATE TYPE "OptOutReason" AS ENUM ('STOP_REPLY', 'PROVIDER_ERROR', 'TEST_NUMBER');

-- AlterTable: contacts get a display name and notes; an opt-out records its reason. Rows from
-- before this migration only ever opted out by a STOP reply or a 21610 error, which cannot be told
-- apart now: they are left without a reason.
ALTER TABLE "contacts" ADD COLUMN "name" TEXT,
ADD COLUMN "notes" TEXT,
ADD COLUMN "opt_out_reason" "OptOutReason";

-- A name is one contact in any case ("alice" and "Alice"); numbers are stored E.164, which has no case.
CREATE UNIQUE INDEX "contacts_address_lower_key" ON "contacts"(lower("address"));

-- AlterTable: a conversation can be marked done (archived) and comes back when the contact writes;
-- updated_at moves with every change to the conversation or its contact, so a copy can tell which
-- is newer and a renamed contact reaches every window through the conversation change feed.
ALTER TABLE "conversations" ADD COLUMN "done_at" TIMESTAMPTZ(3),
ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex: the open and done lists, newest first, each walk an index of their own.
CREATE INDEX "conversations_open_last_message_at_id_idx" ON "conversations"("last_message_at" DESC, "id" DESC) WHERE "done_at" IS NULL;
CREATE INDEX "conversations_done_last_message_at_id_idx" ON "conversations"("last_message_at" DESC, "id" DESC) WHERE "done_at" IS NOT NULL;

-- CreateIndex: finding a participant in any case (a renamed contact's conversations; "alice" sent
-- to where "Alice" already is).
CREATE INDEX "conversations_participant_a_lower_idx" ON "conversations"(lower("participant_a"));
CREATE INDEX "conversations_participant_b_lower_idx" ON "conversations"(lower("participant_b"));

-- CreateIndex: message text search. Postgres full-text search with the 'simple' configuration (no
-- stemming, no stop words: right for names, numbers and every language) is built in, so the
-- embedded database gets the same index as a Postgres server.
CREATE INDEX "messages_body_search_idx" ON "messages" USING GIN (to_tsvector('simple'::regconfig, "body"));
