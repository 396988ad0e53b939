-- Where each session signed in from, and when it was last used, so an operator can see their
-- sessions and end one they do not recognise. Sessions from before this know neither.
ALTER TABLE "sessions" ADD COLUMN "user_agent" TEXT;
ALTER TABLE "sessions" ADD COLUMN "address" TEXT;
ALTER TABLE "sessions" ADD COLUMN "last_used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
