-- Snooze: a conversation out of the Open list until a time. When the time comes, one process
-- wakes it (snooze_woke_at, set once by a conditional UPDATE, whichever replica gets there first)
-- and it is back on top of Open with its "Snoozed until …" marker; a message from the contact
-- before then ends the snooze at once. The partial index serves the waker's search.
ALTER TABLE "conversations" ADD COLUMN "snoozed_until" TIMESTAMPTZ(3);
ALTER TABLE "conversations" ADD COLUMN "snooze_woke_at" TIMESTAMPTZ(3);
CREATE INDEX "conversations_snoozed_until_idx" ON "conversations"("snoozed_until") WHERE "snooze_woke_at" IS NULL;
