-- An idempotency key belongs to whoever sent with it: two tokens that happen to choose the same
-- key neither block each other nor receive each other's message. Messages with no author id (the
-- stand-in operator with sign-in off, the system) share one scope: NULLS NOT DISTINCT, and only
-- messages sent with a key are indexed.
DROP INDEX "messages_idempotency_key_key";
CREATE UNIQUE INDEX "messages_sent_by_id_idempotency_key_key" ON "messages"("sent_by_id", "idempotency_key") NULLS NOT DISTINCT
    WHERE "idempotency_key" IS NOT NULL;
