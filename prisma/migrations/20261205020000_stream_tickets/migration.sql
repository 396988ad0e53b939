-- Short-lived, single-use tickets for the old /api/events stream: a browser's EventSource cannot
-- send a token, so a program asks for a ticket with its token and puts the ticket in the URL.
-- Only the ticket's hash is kept; it names the credential it stands for (a token or a session).
CREATE TABLE "stream_tickets" (
    "ticket_hash" TEXT NOT NULL,
    "credential" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stream_tickets_pkey" PRIMARY KEY ("ticket_hash")
);

CREATE INDEX "stream_tickets_expires_at_idx" ON "stream_tickets"("expires_at");
