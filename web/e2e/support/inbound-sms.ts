import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { INBOUND_PATH } from '../../../server/modules/sms/twilio-webhooks.ts';
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
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const media = options.media ?? [];
  const params: Record<string, string> = {
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: `AC${'0'.repeat(32)}`,
    From: from,
    To: options.to ?? OUR_NUMBER,
    Body: body,
    NumMedia: String(media.length),
    NumSegments: '1',
    ApiVersion: '2010-04-01',
    ...Object.fromEntries(media.flatMap((m, i) => [[`MediaUrl${i}`, m.url], [`MediaContentType${i}`, m.contentType]])),
  };
  const url = `${inbox.url}${INBOUND_PATH}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(WEBHOOK_TOKEN, url, params) },
    body: new URLSearchParams(params),
  });
  if (!res.ok) throw new Error(`the inbound webhook answered ${res.status}: ${await res.text()}`);
}
