-- Webhook events beyond messages: conversation assigned, done, reopened, snoozed, a note added
-- (told apart by what a conversation change changed from: "previous"), and contact changed (a
-- feed table of its own, numbered with the others so one position orders every event).

ALTER TABLE "conversation_changes" ADD COLUMN "previous" JSONB;

CREATE TABLE "contact_changes" (
    "id" BIGINT NOT NULL DEFAULT nextval('feed_change_id_seq'),
    "seq" BIGINT,
    "address" TEXT NOT NULL,
    "row" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_changes_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "contact_changes_seq_key" ON "contact_changes"("seq");
CREATE INDEX "contact_changes_unnumbered_idx" ON "contact_changes"("id") WHERE "seq" IS NULL;
CREATE INDEX "contact_changes_occurred_at_idx" ON "contact_changes"("occurred_at");
-- Erasure finds a person's changes by address, in any case.
CREATE INDEX "contact_changes_address_idx" ON "contact_changes"(lower("address"));

-- A contact event's delivery names its address, so erasing the contact forgets it too.
ALTER TABLE "webhook_deliveries" ADD COLUMN "address" TEXT;
CREATE INDEX "webhook_deliveries_address_idx" ON "webhook_deliveries"(lower("address"));

-- The change-feed functions and triggers, as in sql/change_feed.sql (embedded verbatim).
-- The change feed behind the `messageUpdated` and `conversationUpdated` subscriptions and webhooks.
--
-- Every INSERT, UPDATE and DELETE on "messages" appends one row to "message_changes" (with a copy of
-- the message as it then was); every INSERT and real UPDATE of a "conversations" row (activity,
-- messages received, assignment, notes) appends one row to "conversation_changes", with what an
-- UPDATE changed from for the fields webhooks tell of (assignee, done, snooze, notes); every INSERT
-- and real UPDATE of a "contacts" row appends one row to "contact_changes" (a contact is deleted
-- only by erasure, which must leave no copy). A writer records only the
-- change and an `id`; it takes no lock shared with other writers and sends no NOTIFY (a NOTIFY makes
-- every notifying transaction in the database commit one at a time, holding a lock through its
-- WAL flush).
--
-- A change's position (`seq`: the cursor clients see and resume from) is given after its
-- transaction commits, by hatch_number_feed(): under a short lock of its own it numbers every
-- change committed and not yet numbered, all the tables together in `id` order, and then says
-- `NOTIFY hatch_feed '<newest position>'`. One numbering commits before the next begins, so the
-- numbered changes a reader sees are always every position up to some point: a reader takes
-- `seq > its last position`, and a change committed late is numbered late, after what it missed
-- nothing. The server runs it after each of its own writes, and every second for writers elsewhere.
-- The channel name and payload are mirrored in server/modules/realtime/channel.ts.
--
-- This file is the source; the migration that installs it embeds it verbatim (a test checks that),
-- because Prisma's migration files must be self-contained.

CREATE OR REPLACE FUNCTION hatch_record_message_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r "messages";
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  INSERT INTO "message_changes" ("action", "message_id", "conversation_id", "row")
    VALUES (TG_OP::"ChangeAction", r."id", r."conversation_id", to_jsonb(r));
  IF TG_OP = 'INSERT' THEN
    UPDATE "conversations" SET
        "last_message_at" = GREATEST("last_message_at", r."created_at"),
        "inbound_count" = "inbound_count" + CASE WHEN r."direction" = 'INBOUND' THEN 1 ELSE 0 END
      WHERE "id" = r."conversation_id";
  END IF;
  RETURN NULL;
END
$$;

-- updated_at is kept by the database so that raw SQL writers cannot forget it.
CREATE OR REPLACE FUNCTION hatch_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."updated_at" := CURRENT_TIMESTAMP;
  RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS "messages_touch_updated_at" ON "messages";
CREATE TRIGGER "messages_touch_updated_at" BEFORE UPDATE ON "messages"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION hatch_touch_updated_at();

DROP TRIGGER IF EXISTS "messages_change_feed_insert_delete" ON "messages";
CREATE TRIGGER "messages_change_feed_insert_delete" AFTER INSERT OR DELETE ON "messages"
  FOR EACH ROW EXECUTE FUNCTION hatch_record_message_change();

-- An UPDATE that changes nothing is not a change.
DROP TRIGGER IF EXISTS "messages_change_feed_update" ON "messages";
CREATE TRIGGER "messages_change_feed_update" AFTER UPDATE ON "messages"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION hatch_record_message_change();

-- Conversations: a feed row whenever one changes (new activity, messages received, read state), so every
-- open inbox sees read state and ordering move without polling, and a listener that was away
-- catches up from the table like it does for messages.
CREATE OR REPLACE FUNCTION hatch_record_conversation_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "conversation_changes" ("conversation_id", "row", "previous") VALUES (NEW."id", to_jsonb(NEW),
    CASE WHEN TG_OP = 'UPDATE' THEN jsonb_build_object('assignee_id', OLD."assignee_id", 'done_at', OLD."done_at",
      'snoozed_until', OLD."snoozed_until", 'note_count', OLD."note_count") END);
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS "conversations_notify_change" ON "conversations";
DROP FUNCTION IF EXISTS hatch_notify_conversation_change();

DROP TRIGGER IF EXISTS "conversations_change_feed_insert" ON "conversations";
CREATE TRIGGER "conversations_change_feed_insert" AFTER INSERT ON "conversations"
  FOR EACH ROW EXECUTE FUNCTION hatch_record_conversation_change();

DROP TRIGGER IF EXISTS "conversations_change_feed_update" ON "conversations";
CREATE TRIGGER "conversations_change_feed_update" AFTER UPDATE ON "conversations"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION hatch_record_conversation_change();

-- Contacts: what webhooks call contact.changed (a name, notes, opting out, being merged).
CREATE OR REPLACE FUNCTION hatch_record_contact_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "contact_changes" ("address", "row") VALUES (NEW."address", to_jsonb(NEW));
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS "contacts_change_feed_insert" ON "contacts";
CREATE TRIGGER "contacts_change_feed_insert" AFTER INSERT ON "contacts"
  FOR EACH ROW EXECUTE FUNCTION hatch_record_contact_change();

DROP TRIGGER IF EXISTS "contacts_change_feed_update" ON "contacts";
CREATE TRIGGER "contacts_change_feed_update" AFTER UPDATE ON "contacts"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION hatch_record_contact_change();

-- Numbers the committed changes that have no position yet (at most `batch` of them, oldest id
-- first, the three tables together) and returns the newest position. With `wait`, it waits for a
-- numbering running elsewhere to commit first, so that a caller whose write has committed knows it is numbered on return;
-- without, it returns NULL at once when one is running (a periodic check has nothing to add then).
-- Each statement of a plpgsql function sees what committed before it began, so the changes
-- numbered are exactly those committed when the numbering statement starts, under the lock.
CREATE OR REPLACE FUNCTION hatch_number_feed(wait BOOLEAN DEFAULT true, batch INTEGER DEFAULT 10000) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
  head BIGINT;
  newest BIGINT;
BEGIN
  IF wait THEN
    PERFORM pg_advisory_xact_lock(727361);
  ELSIF NOT pg_try_advisory_xact_lock(727361) THEN
    RETURN NULL;
  END IF;
  SELECT "position" INTO head FROM "feed_head" WHERE "id" = 1;
  WITH pending AS (
         SELECT t, "id" FROM (
           SELECT 'm'::"char" AS t, "id" FROM "message_changes" WHERE "seq" IS NULL
           UNION ALL
           SELECT 'c'::"char", "id" FROM "conversation_changes" WHERE "seq" IS NULL
           UNION ALL
           SELECT 'p'::"char", "id" FROM "contact_changes" WHERE "seq" IS NULL
         ) p ORDER BY "id" LIMIT batch),
       numbered AS (SELECT t, "id", head + row_number() OVER (ORDER BY "id") AS pos FROM pending),
       m AS (UPDATE "message_changes" x SET "seq" = n.pos FROM numbered n WHERE n.t = 'm' AND x."id" = n."id" RETURNING n.pos),
       c AS (UPDATE "conversation_changes" x SET "seq" = n.pos FROM numbered n WHERE n.t = 'c' AND x."id" = n."id" RETURNING n.pos),
       p AS (UPDATE "contact_changes" x SET "seq" = n.pos FROM numbered n WHERE n.t = 'p' AND x."id" = n."id" RETURNING n.pos)
  SELECT max(pos) INTO newest FROM (SELECT pos FROM m UNION ALL SELECT pos FROM c UNION ALL SELECT pos FROM p) s;
  IF newest IS NULL THEN
    RETURN head;
  END IF;
  UPDATE "feed_head" SET "position" = newest WHERE "id" = 1;
  PERFORM pg_notify('hatch_feed', newest::text);
  RETURN newest;
END
$$;
