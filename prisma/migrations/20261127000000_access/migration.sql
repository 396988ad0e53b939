-- CreateEnum
CREATE TYPE "TokenScope" AS ENUM ('READ', 'SEND');

-- CreateEnum
CREATE TYPE "SenderKind" AS ENUM ('OPERATOR', 'TOKEN', 'SMS_CONTACT', 'SYSTEM');

-- CreateTable
CREATE TABLE "operators" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "operators_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "operator_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "scope" "TokenScope" NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setup_links" (
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "setup_links_pkey" PRIMARY KEY ("token_hash")
);

-- CreateIndex
CREATE UNIQUE INDEX "operators_email_key" ON "operators"("email");

-- CreateIndex
CREATE INDEX "sessions_operator_id_idx" ON "sessions"("operator_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- A name stays unique among tokens that still work; a revoked token's name can be used again.
CREATE UNIQUE INDEX "api_tokens_active_name_key" ON "api_tokens"("name") WHERE "revoked_at" IS NULL;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "operators"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "operators"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AlterTable: who wrote each message. Messages from before this was recorded: inbound ones are
-- their contact's, outbound ones the system's (no author is known).
ALTER TABLE "messages" ADD COLUMN "sent_by_kind" "SenderKind" NOT NULL DEFAULT 'SYSTEM',
ADD COLUMN "sent_by_id" UUID,
ADD COLUMN "sent_by_name" TEXT;
UPDATE "messages" SET "sent_by_kind" = 'SMS_CONTACT', "sent_by_name" = "from" WHERE "direction" = 'INBOUND';

-- The rate limit counts a sender's recent messages.
CREATE INDEX "messages_sent_by_id_created_at_idx" ON "messages"("sent_by_id", "created_at");

-- AlterTable: which participant is this inbox's side (the sender of the first outbound message,
-- the recipient of the first inbound one).
ALTER TABLE "conversations" ADD COLUMN "ours" TEXT;
UPDATE "conversations" c SET "ours" = (
  SELECT CASE WHEN m."direction" = 'OUTBOUND' THEN m."from" ELSE m."to" END
    FROM "messages" m WHERE m."conversation_id" = c."id" ORDER BY m."created_at", m."id" LIMIT 1);
