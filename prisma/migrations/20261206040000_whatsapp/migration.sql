-- WhatsApp beside SMS: a channel of its own (addresses "whatsapp:+E.164"), the `read` receipt
-- WhatsApp reports after `delivered`, and the approved template an outbound message is sent with
-- (Twilio's ContentSid and ContentVariables), kept with its outbox row until it is handed over.
ALTER TYPE "MessageChannel" ADD VALUE IF NOT EXISTS 'WHATSAPP';
ALTER TYPE "MessageStatus" ADD VALUE IF NOT EXISTS 'READ' AFTER 'DELIVERED';
ALTER TABLE "sms_outbox" ADD COLUMN "content" JSONB;
