-- Who on the team has taken a conversation ("I'll take this one"). Null: unassigned. An operator
-- who is removed leaves their conversations unassigned. A change of assignee is a change of the
-- conversation row, so the change feed carries it to every window like read state.
ALTER TABLE "conversations" ADD COLUMN "assignee_id" UUID;
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "operators"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "conversations_assignee_id_last_message_at_id_idx" ON "conversations"("assignee_id", "last_message_at" DESC, "id" DESC);
