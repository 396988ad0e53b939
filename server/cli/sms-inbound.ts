// `npm run sms:inbound -- --from +15551234567 --body "hi"`: posts a correctly signed inbound SMS
// webhook to the running server, as Twilio would, so a two-way conversation can be tried without
// a Twilio account. Signs with TWILIO_AUTH_TOKEN, or the simulator's token in HATCH_DATA_DIR.
import { parseArgs } from 'node:util';
import { DEFAULT_SENDER_NUMBER, EnvError, parseEnv } from '../env.ts';
import { inboundSmsParams, postSignedWebhook } from '../modules/sms/signed-webhooks.ts';
import { loadSimulatorToken } from '../modules/sms/simulator-sender.ts';
import { INBOUND_PATH } from '../modules/sms/twilio-webhooks.ts';

try {
  const env = parseEnv();
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
  const local = values.url ?? `http://127.0.0.1:${env.PORT}`;
  const token = env.TWILIO_AUTH_TOKEN ?? loadSimulatorToken(env.HATCH_DATA_DIR);
  const params = inboundSmsParams({
    from: values.from,
    to: values.to ?? env.TWILIO_PHONE_NUMBER ?? DEFAULT_SENDER_NUMBER,
    body: values.body,
    accountSid: env.TWILIO_ACCOUNT_SID,
    media: (values.media ?? []).map((url) => ({ url, contentType: 'image/jpeg' })),
  });
  // Signed for the URL the server believes it was called at: PUBLIC_URL when set.
  const res = await postSignedWebhook({
    authToken: token,
    postUrl: `${local}${INBOUND_PATH}`,
    signedUrl: `${env.PUBLIC_URL ?? local}${INBOUND_PATH}`,
    params,
  });
  if (!res.ok) {
    console.error(`the server answered ${res.status}: ${await res.text()}`);
    process.exit(1);
  }
  console.log(`delivered inbound SMS ${params.MessageSid} from ${params.From} to ${params.To}`);
} catch (err) {
  console.error(err instanceof EnvError ? err.message : `could not post the webhook: ${(err as Error).message}`);
  process.exit(1);
}
