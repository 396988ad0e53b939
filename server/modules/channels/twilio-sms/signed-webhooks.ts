import { randomBytes } from 'node:crypto';
// The webhook helpers alone: the whole library costs about 20 MB resident (see ./index.ts).
import twilio from 'twilio/lib/webhooks/webhooks.js';

/**
 * Posts a form-encoded webhook signed the way Twilio signs them. Used where Hatch plays Twilio's
 * part itself: the simulator's status callbacks and `npm run sms:inbound`.
 * `signedUrl` is the URL the receiver believes it was called at (its PUBLIC_URL); `postUrl` is
 * where the request actually goes.
 */
export function postSignedWebhook(opts: { authToken: string; postUrl: string; signedUrl: string; params: Record<string, string> }): Promise<Response> {
  return fetch(opts.postUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(opts.authToken, opts.signedUrl, opts.params),
    },
    body: new URLSearchParams(opts.params),
  });
}

/** The form fields of an inbound SMS (an MMS with `media`), as Twilio posts them. */
export function inboundSmsParams(sms: {
  from: string;
  to: string;
  body: string;
  accountSid?: string;
  media?: { url: string; contentType: string }[];
}): Record<string, string> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const media = sms.media ?? [];
  return {
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: sms.accountSid ?? `AC${'0'.repeat(32)}`,
    From: sms.from,
    To: sms.to,
    Body: sms.body,
    NumMedia: String(media.length),
    NumSegments: '1',
    ApiVersion: '2010-04-01',
    ...Object.fromEntries(media.flatMap((m, i) => [[`MediaUrl${i}`, m.url], [`MediaContentType${i}`, m.contentType]])),
  };
}
