// WhatsApp's webhook routes, on their own so that `npm run sms:inbound` names them without loading the channel.
export const WHATSAPP_INBOUND_PATH = '/twilio/whatsapp/inbound';
export const WHATSAPP_STATUS_PATH = '/twilio/whatsapp/status';
