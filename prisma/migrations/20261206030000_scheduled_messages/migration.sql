-- Messages to send later: kept here until due, then sent through sendMessage's own path (the
-- outbox, idempotency, rate, destination and opt-out checks) with the idempotency key
-- "scheduled:<id>", so a send repeated after a crash or by a second replica is the same message.
-- A replica claims a due row for `lease_until`; the conversation exists from the moment one is
-- scheduled, so the thread shows it.
CREATE TABLE "scheduled_messages" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversation_id" UUID NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "channel" "MessageChannel" NOT NULL,
    "send_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'SCHEDULED',
    "idempotency_key" TEXT,
    "sent_by_kind" "SenderKind" NOT NULL,
    "sent_by_id" UUID,
    "sent_by_name" TEXT,
    "message_id" UUID,
    "error_code" TEXT,
    "error_message" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scheduled_messages_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "scheduled_messages_conversation_id_send_at_idx" ON "scheduled_messages"("conversation_id", "send_at");
-- What is due: only rows still waiting.
CREATE INDEX "scheduled_messages_due_idx" ON "scheduled_messages"("send_at") WHERE "status" = 'SCHEDULED';
CREATE UNIQUE INDEX "scheduled_messages_sent_by_id_idempotency_key_key" ON "scheduled_messages"("sent_by_id", "idempotency_key");
ALTER TABLE "scheduled_messages" ADD CONSTRAINT "scheduled_messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Moves whenever the conversation's scheduled messages change, so every open window (through the
-- change feed) reads them again.
ALTER TABLE "conversations" ADD COLUMN "scheduled_changed_at" TIMESTAMPTZ(3);
