import twilio from 'twilio';
import type { TwilioSettings } from '../../../config.ts';
import { SendError, type OutboundMessage, type SendResult } from '../channel.ts';
import type { SmsSender } from './sender.ts';
import { createdStatus } from './statuses.ts';
import { createTwilioClient, withIdempotencyToken } from './twilio-client.ts';
import { describeTwilioError } from './twilio-errors.ts';

export interface TwilioSenderConfig extends TwilioSettings {
  /** Where Twilio posts status callbacks; none are asked for when it is unknown. */
  statusCallbackUrl: () => string | undefined;
}

/** Messages through Twilio's Messages API (SMS, and WhatsApp to "whatsapp:" addresses), with the real `twilio` library. */
export class TwilioSmsSender implements SmsSender {
  readonly name = 'twilio';
  readonly maxSegmentsPerSecond: number;
  /** The library's client, for the channel's other Twilio APIs (WhatsApp templates). */
  readonly client: twilio.Twilio;

  constructor(private readonly config: TwilioSenderConfig) {
    this.maxSegmentsPerSecond = config.maxMps;
    this.client = createTwilioClient({
      accountSid: config.accountSid,
      authToken: config.authToken,
      apiUrl: config.apiUrl,
      http: { timeout: config.timeoutMs ?? 15_000, keepAlive: true },
    });
  }

  async send(sms: OutboundMessage): Promise<SendResult> {
    const statusCallback = this.config.statusCallbackUrl();
    try {
      const message = await withIdempotencyToken(sms.messageId, () =>
        this.client.messages.create({
          to: sms.to,
          // A template is sent by its id, with its blanks as JSON; Twilio fills them in.
          ...(sms.template ? { contentSid: sms.template.sid, contentVariables: JSON.stringify(sms.template.variables) } : { body: sms.body }),
          ...(this.config.messagingServiceSid ? { messagingServiceSid: this.config.messagingServiceSid } : { from: sms.from }),
          ...(statusCallback ? { statusCallback } : {}),
        }),
      );
      return { providerSid: message.sid, status: createdStatus(message.status) };
    } catch (err) {
      throw toSendError(err);
    }
  }

  /**
   * Twilio's Messages API does not promise to honour an idempotency token, so after an attempt
   * whose outcome is unknown the outbox asks here first: the newest messages to this number from
   * this sender, created after our message, with the same body.
   */
  async findSent(sms: OutboundMessage, createdAfter: Date): Promise<SendResult | undefined> {
    try {
      const recent = await this.client.messages.list({
        to: sms.to,
        ...(this.config.messagingServiceSid ? {} : { from: sms.from }),
        limit: 50,
      });
      // Twilio's clock and ours differ a little; a minute of slack cannot match another send of ours,
      // since that would have to be the same body to the same number within the minute.
      const since = createdAfter.getTime() - 60_000;
      const match = recent.find((m) => m.body === sms.body && m.direction.startsWith('outbound') && m.dateCreated.getTime() >= since);
      return match ? { providerSid: match.sid, status: createdStatus(match.status) } : undefined;
    } catch (err) {
      throw toSendError(err);
    }
  }
}

function toSendError(err: unknown): SendError {
  if (err instanceof twilio.RestException) {
    const code = err.code ? String(err.code) : undefined;
    const text = describeTwilioError(code, err.message);
    if (err.status === 429 || code === '20429') return new SendError(text ?? 'Twilio is rate limiting', true, code, false);
    if (err.status >= 500) return new SendError(text ?? `Twilio answered ${err.status}`, true, code, true);
    return new SendError(text ?? `Twilio refused the message (${err.status})`, false, code);
  }
  // No answer, or an unreadable one: Twilio may or may not have created the message.
  return new SendError(`Could not reach Twilio: ${(err as Error).message}`, true, undefined, true);
}
