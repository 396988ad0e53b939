-- The change feed behind the `messageUpdated` and `conversationUpdated` subscriptions.
--
-- Every INSERT, UPDATE and DELETE on "messages" appends one row to "message_changes" (with a copy of
-- the message as it then was) and sends `NOTIFY message_changes` with a small JSON payload:
--   {"seq": 42, "action": "UPDATE", "messageId": "…", "conversationId": "…"}
-- Every INSERT and real UPDATE of a "conversations" row (activity, unread count, read state) appends
-- one row to "conversation_changes" and sends `NOTIFY conversation_changes` with {"seq": 43, "id": "…"}.
-- Both tables draw their numbers from one sequence, so one position orders the whole feed.
-- The channel names and payload shapes are mirrored in server/modules/realtime/channel.ts.
--
-- This file is the source; the migration that installs it embeds it verbatim (a test checks that),
-- because Prisma's migration files must be self-contained.

CREATE OR REPLACE FUNCTION hatch_record_message_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r "messages";
  change_seq BIGINT;
BEGIN
  -- Writers of messages take this lock until they commit, so sequence numbers are handed out in
  -- commit order. The realtime bridge reads changes by sequence range and may then trust that no
  -- lower number is still in flight. The cost is that message writes commit one at a time.
  PERFORM pg_advisory_xact_lock(727361);
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  INSERT INTO "message_changes" ("action", "message_id", "conversation_id", "row")
    VALUES (TG_OP::"ChangeAction", r."id", r."conversation_id", to_jsonb(r))
    RETURNING "seq" INTO change_seq;
  PERFORM pg_notify('message_changes', json_build_object(
    'seq', change_seq, 'action', TG_OP, 'messageId', r."id", 'conversationId', r."conversation_id"
  )::text);
  IF TG_OP = 'INSERT' THEN
    UPDATE "conversations" SET
        "last_message_at" = GREATEST("last_message_at", r."created_at"),
        "unread_count" = "unread_count" + CASE WHEN r."direction" = 'INBOUND' THEN 1 ELSE 0 END
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

-- Conversations: a feed row and a NOTIFY whenever one changes (new activity, unread count, read
-- state), so every open inbox sees read state and ordering move without polling, and a listener
-- that was away catches up from the table like it does for messages.
CREATE OR REPLACE FUNCTION hatch_record_conversation_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  change_seq BIGINT;
BEGIN
  PERFORM pg_advisory_xact_lock(727361); -- commit order, as for messages
  INSERT INTO "conversation_changes" ("conversation_id", "row")
    VALUES (NEW."id", to_jsonb(NEW))
    RETURNING "seq" INTO change_seq;
  PERFORM pg_notify('conversation_changes', json_build_object('seq', change_seq, 'id', NEW."id")::text);
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
