import { inboundSmsParams, postSignedWebhook } from '../../../server/modules/channels/twilio-sms/signed-webhooks.ts';
import { INBOUND_PATH } from '../../../server/modules/channels/twilio-sms/webhooks.ts';
import { WHATSAPP_INBOUND_PATH } from '../../../server/modules/channels/twilio-whatsapp/index.ts';
import type { Inbox } from './inbox-server.ts';

/** The sender number startTestApp configures. */
export const OUR_NUMBER = '+15005550006';
/** The token the test server checks webhook signatures with (see startInbox). */
export const WEBHOOK_TOKEN = 'e2e-webhook-token';

/**
 * An SMS (or MMS, with `media`) arriving the way Twilio delivers one: a signed POST to the
 * inbound webhook. The server stores it and the live feeds carry it to every window.
 */
export async function receiveSms(inbox: Inbox, from: string, body: string, options: { to?: string; media?: { url: string; contentType: string }[] } = {}) {
  const params = inboundSmsParams({ from, to: options.to ?? OUR_NUMBER, body, media: options.media });
  const url = `${inbox.url}${INBOUND_PATH}`;
  const res = await postSignedWebhook({ authToken: WEBHOOK_TOKEN, postUrl: url, signedUrl: url, params });
  if (!res.ok) throw new Error(`the inbound webhook answered ${res.status}: ${await res.text()}`);
}

/** Our WhatsApp sender: the simulator speaks WhatsApp from the SMS number. */
export const OUR_WHATSAPP = `whatsapp:${OUR_NUMBER}`;

/**
 * A WhatsApp message arriving the way Twilio delivers one: the same signed form as an SMS, from a
 * "whatsapp:+…" address, posted to the WhatsApp webhook.
 */
export async function receiveWhatsApp(inbox: Inbox, from: `whatsapp:+${string}`, body: string) {
  const params = { ...inboundSmsParams({ from, to: OUR_WHATSAPP, body }), WaId: from.replace(/\D/g, '') };
  const url = `${inbox.url}${WHATSAPP_INBOUND_PATH}`;
  const res = await postSignedWebhook({ authToken: WEBHOOK_TOKEN, postUrl: url, signedUrl: url, params });
  if (!res.ok) throw new Error(`the WhatsApp webhook answered ${res.status}: ${await res.text()}`);
}
