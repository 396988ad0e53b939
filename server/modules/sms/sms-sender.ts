/** One outbound SMS as the outbox hands it to a provider. */
export interface OutboundSms {
  /** Hatch's message id: also the provider's idempotency token, so a retried send is one SMS. */
  messageId: string;
  from: string;
  to: string;
  body: string;
}

/** Statuses as providers report them (Twilio's names, lower case). */
export type ProviderStatus = 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed';

export interface SmsSendResult {
  providerSid: string;
  status: ProviderStatus;
}

/** A send that did not go through. `retryable` decides between another attempt and FAILED. */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code?: string,
    /** The provider may have created the message anyway (timeout, dropped connection, 5xx). */
    readonly inDoubt = false,
  ) {
    super(message);
  }
}

/** The one thing the outbox needs from an SMS provider. */
export interface SmsSender {
  /** Shown in start-up logs and /ready, e.g. "twilio" or "simulator". */
  readonly name: string;
  send(sms: OutboundSms): Promise<SmsSendResult>;
  /**
   * Looks for a message an earlier, interrupted attempt may have created at the provider, so that
   * a retry adopts it instead of texting the person twice. Providers that cannot tell omit it.
   */
  findSent?(sms: OutboundSms, createdAfter: Date): Promise<SmsSendResult | undefined>;
  /** Segments per second the provider accepts from this sender; unlimited when omitted. */
  readonly maxSegmentsPerSecond?: number;
  close?(): Promise<void>;
}
