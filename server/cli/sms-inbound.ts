// `npm run sms:inbound -- --from +15551234567 --body "hi"`: posts a correctly signed inbound SMS
// webhook to the running server, as Twilio would, so a two-way conversation can be tried without
// a Twilio account. Signs with TWILIO_AUTH_TOKEN, or the simulator's token in HATCH_DATA_DIR.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { EnvError } from '../env.ts';
import { readAddress, WHATSAPP_PREFIX } from '../lib/phone.ts';
import { inboundSmsParams, postSignedWebhook } from '../modules/channels/twilio-sms/signed-webhooks.ts';
import { loadSimulatorToken } from '../modules/channels/twilio-sms/simulator-sender.ts';
import { INBOUND_PATH } from '../modules/channels/twilio-sms/webhooks.ts';
import { WHATSAPP_INBOUND_PATH } from '../modules/channels/twilio-whatsapp/paths.ts';

try {
  const config = loadConfig();
  const twilio = config.sms.twilio;
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      body: { type: 'string' },
      to: { type: 'string' },
      url: { type: 'string' },
      media: { type: 'string', multiple: true },
    },
  });
  if (!values.from || values.body === undefined) {
    console.error('usage: npm run sms:inbound -- --from +15551234567 --body "hi" [--to +15005550006] [--url http://127.0.0.1:4000] [--media URL]…');
    process.exit(2);
  }
  // Numbers as people type them, read as the server reads a recipient: "(555) 123-4567" is the
  // same contact as +15551234567, never a conversation of its own.
  // "whatsapp:" in front writes on WhatsApp, to the WhatsApp sender's webhook.
  const whatsapp = /^whatsapp:/i.test(values.from.trim());
  const prefix = whatsapp ? WHATSAPP_PREFIX : '';
  const read = (typed: string, flag: string): string => {
    const address = readAddress(typed.trim().replace(/^whatsapp:/i, ''), config.senders.defaultCountry);
    if (address.kind === 'phone') return `${prefix}${address.e164}`;
    console.error(`${flag} "${typed}" is not a phone number (give it as +15551234567 or as a number of ${config.senders.defaultCountry ?? 'your country'}).`);
    process.exit(2);
  };
  const from = read(values.from, '--from');
  const ours = whatsapp ? config.senders.whatsappFrom : config.senders.smsFrom;
  if (!ours) {
    console.error('WhatsApp is not set up on this server: set WHATSAPP_FROM (see docs/whatsapp.md).');
    process.exit(2);
  }
  const to = values.to === undefined ? ours : read(values.to, '--to');
  const webhookPath = whatsapp ? WHATSAPP_INBOUND_PATH : INBOUND_PATH;
  const local = values.url ?? `http://127.0.0.1:${config.listen.port}`;
  const token = twilio?.authToken ?? loadSimulatorToken(config.database.dataDir);
  const params = inboundSmsParams({
    from,
    to,
    body: values.body,
    accountSid: twilio?.accountSid,
    media: (values.media ?? []).map((url) => ({ url, contentType: 'image/jpeg' })),
  });
  // Signed for the URL the server believes it was called at: PUBLIC_URL when set.
  const res = await postSignedWebhook({
    authToken: token,
    postUrl: `${local}${webhookPath}`,
    signedUrl: `${config.listen.publicUrl ?? local}${webhookPath}`,
    params,
  });
  if (!res.ok) {
    console.error(`the server answered ${res.status}: ${(await res.text()).trim()}`);
    if (res.status === 403) console.error(signatureHint(twilio !== undefined, path.resolve(config.database.dataDir), config.listen.publicUrl));
    process.exit(1);
  }
  console.log(`delivered inbound ${whatsapp ? 'WhatsApp message' : 'SMS'} ${params.MessageSid} from ${params.From} to ${params.To}`);
} catch (err) {
  console.error(err instanceof EnvError ? err.message : `could not post the webhook: ${(err as Error).message}`);
  process.exit(1);
}

/**
 * A 403 means the server checked the signature with another secret than ours: most often it was
 * started on another data folder, whose simulator token is not the one this command read.
 */
function signatureHint(twilio: boolean, dataDir: string, publicUrl: string | undefined): string {
  const secret = twilio
    ? 'It was signed with TWILIO_AUTH_TOKEN: give this command the same TWILIO_AUTH_TOKEN as the server.'
    : `It was signed with the simulator token kept in ${dataDir}. If the server runs with another data folder, pass it the same way:\n\n  HATCH_DATA_DIR=<the server's HATCH_DATA_DIR> npm run sms:inbound -- --from … --body …\n`;
  const url = publicUrl ? '' : '\nIf the server has PUBLIC_URL set, set the same PUBLIC_URL here: Twilio signs the public address.';
  return `The server refused the signature. ${secret}${url}`;
}
