-- Running the team from the page: disabling an operator, inviting one, and a record of who did what.

-- A disabled operator cannot sign in and has no sessions or tokens; the row stays, so their
-- messages, notes and the audit log keep their name. Enabling them again clears it.
ALTER TABLE "operators" ADD COLUMN "disabled_at" TIMESTAMPTZ(3);

-- An invitation is a one-time link an admin gives a colleague: only its hash is kept. It works until
-- it is used, revoked or expires, and makes an operator with the role the admin chose.
CREATE TABLE "invitations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "token_hash" TEXT NOT NULL,
    "role" "OperatorRole" NOT NULL,
    "email" TEXT,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by_id" UUID,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "operators"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_accepted_by_id_fkey" FOREIGN KEY ("accepted_by_id") REFERENCES "operators"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The audit log: who did what to whom, when and from where, never the content of a message or note.
-- Who and whom are kept by name as they were (and by id), so a later rename or erasure does not
-- rewrite history. Append-only: no UPDATE ever, and DELETE only by the retention sweep, which says
-- so for its own transaction (SET LOCAL "hatch.audit_sweep" = 'on').
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" TEXT NOT NULL,
    "actor_kind" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_name" TEXT,
    "target_kind" TEXT,
    "target_id" TEXT,
    "target_name" TEXT,
    "role" "OperatorRole",
    "address" TEXT,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "audit_events_actor_kind_check" CHECK ("actor_kind" IN ('OPERATOR', 'TOKEN', 'COMMAND', 'NOBODY'))
);
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

CREATE FUNCTION "hatch_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('hatch.audit_sweep', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "hatch_audit_append_only"();
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "hatch_audit_append_only"();
