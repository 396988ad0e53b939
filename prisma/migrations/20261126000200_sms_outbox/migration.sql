-- CreateTable
CREATE TABLE "sms_outbox" (
    "message_id" UUID NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sms_outbox_pkey" PRIMARY KEY ("message_id")
);

-- CreateIndex
CREATE INDEX "sms_outbox_next_attempt_at_idx" ON "sms_outbox"("next_attempt_at");
