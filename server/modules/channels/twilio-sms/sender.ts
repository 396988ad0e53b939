import type { OutboundMessage, SendResult } from '../channel.ts';

/**
 * What hands an SMS over inside the Twilio channel: Twilio's Messages API, or the simulator that
 * answers like it (and posts Twilio-signed status webhooks to this server) when no account is set.
 */
export interface SmsSender {
  /** "twilio" or "simulator". */
  readonly name: string;
  send(sms: OutboundMessage): Promise<SendResult>;
  findSent?(sms: OutboundMessage, createdAfter: Date): Promise<SendResult | undefined>;
  /** Segments per second accepted from this sender; unlimited when omitted. */
  readonly maxSegmentsPerSecond?: number;
  close?(): Promise<void>;
}
