-- CreateTable: how far change-feed retention has pruned. A cursor below `pruned_through` may have
-- lost changes after it: resuming from it is CURSOR_EXPIRED.
CREATE TABLE "feed_retention" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "pruned_through" BIGINT NOT NULL DEFAULT 0,
    "pruned_at" TIMESTAMPTZ(3),

    CONSTRAINT "feed_retention_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "feed_retention_one_row" CHECK ("id" = 1)
);
INSERT INTO "feed_retention" ("id") VALUES (1);

-- CreateIndex: a subscription to one conversation resumes by reading only that conversation's changes.
CREATE INDEX "message_changes_conversation_id_seq_idx" ON "message_changes"("conversation_id", "seq");

-- CreateIndex: retention finds old changes without scanning.
CREATE INDEX "message_changes_occurred_at_idx" ON "message_changes"("occurred_at");
CREATE INDEX "conversation_changes_occurred_at_idx" ON "conversation_changes"("occurred_at");

-- A status callback Twilio sends again (a retry, a replay) is the same report: keep it once.
DELETE FROM "message_status_events" a USING "message_status_events" b
  WHERE a."id" > b."id" AND a."provider_sid" = b."provider_sid" AND a."status" = b."status"
    AND a."error_code" IS NOT DISTINCT FROM b."error_code";
CREATE UNIQUE INDEX "message_status_events_report_key" ON "message_status_events"("provider_sid", "status", COALESCE("error_code", ''));
