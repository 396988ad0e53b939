import { randomBytes } from 'node:crypto';
import { loadLocalSecret } from '../../../lib/local-secret.ts';
import { SendError, type OutboundMessage, type SendResult } from '../channel.ts';
import type { SmsSender } from './sender.ts';
import { postSignedWebhook } from './signed-webhooks.ts';
import { describeTwilioError } from './twilio-errors.ts';
import { STATUS_PATH } from './webhooks.ts';

export interface SimulatorConfig {
  /** The token its webhooks are signed with (see loadSimulatorToken). */
  authToken: string;
  /** Where this server can be reached from inside (http://127.0.0.1:PORT); known once listening. */
  localUrl: () => string | undefined;
  /** The base URL webhooks are signed against: PUBLIC_URL when set, else localUrl. */
  signedUrl: () => string | undefined;
  stepMs?: number;
  /** Where its status callbacks go on this server (the SMS channel's when omitted). */
  statusPath?: string;
  /** The statuses it reports after taking a message, in order (sent, delivered when omitted). */
  statuses?: string[];
  /**
   * Free text it refuses as Twilio does (WhatsApp outside the 24-hour window: 63016); the channel
   * says, from the messages this installation received. Templates always go.
   */
  refuseFreeText?: (sms: OutboundMessage) => Promise<string | undefined>;
}

// Twilio's test "magic numbers" fail here the way they fail with Twilio's test credentials, so the
// failure paths can be seen without an account.
const MAGIC_FAILURES: Record<string, string> = { '+15005550001': '21211', '+15005550009': '21614', '+15005550004': '21610' };

/**
 * Used when no Twilio credentials are configured: nothing leaves the machine. It accepts each SMS,
 * then posts signed status callbacks ("sent", then "delivered") to this server's own webhook, so a
 * simulated message takes exactly the path a real one does.
 */
export class SimulatorSmsSender implements SmsSender {
  readonly name = 'simulator';
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly config: SimulatorConfig) {}

  async send(sms: OutboundMessage): Promise<SendResult> {
    const failure = MAGIC_FAILURES[sms.to];
    if (failure) throw new SendError(describeTwilioError(failure)!, false, failure);
    const refused = !sms.template && (await this.config.refuseFreeText?.(sms));
    if (refused) throw new SendError(describeTwilioError(refused)!, false, refused);
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const step = this.config.stepMs ?? 400;
    // One after the other, so the statuses arrive in order (Twilio's may not; the webhook copes).
    const report = ([status, ...rest]: string[]) => {
      if (status) this.later(step, async () => {
        await this.callback(sid, sms, status);
        report(rest);
      });
    };
    report(this.config.statuses ?? ['sent', 'delivered']);
    return { providerSid: sid, status: 'SENDING' };
  }

  private async callback(sid: string, sms: OutboundMessage, status: string): Promise<void> {
    const local = this.config.localUrl();
    const signed = this.config.signedUrl() ?? local;
    if (!local || !signed) return;
    const params = { MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, From: sms.from, To: sms.to, ApiVersion: '2010-04-01' };
    const path = this.config.statusPath ?? STATUS_PATH;
    await postSignedWebhook({ authToken: this.config.authToken, postUrl: `${local}${path}`, signedUrl: `${signed}${path}`, params });
  }

  private later(ms: number, fn: () => Promise<void>) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn().catch(() => {}); // the server is stopping; the status is simply not reported
    }, ms);
    this.timers.add(timer);
  }

  async close() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/**
 * The simulator signs its webhooks like Twilio does, with a token of this installation's own, kept
 * in the data folder so that `npm run sms:inbound` (another process) can sign with it too.
 */
export function loadSimulatorToken(dataDir: string): string {
  return loadLocalSecret(dataDir, 'simulator-auth-token');
}
