// The seam between Hatch and a messaging provider. A channel owns everything provider-shaped:
// sending, the webhook routes the provider calls, reading an inbound message out of a webhook,
// its status words and error codes, and its opt-out rules. Everything else (the outbox, storing
// inbound messages, moving statuses forward, opting numbers out) is Hatch's, in this folder, the
// same for every channel. docs/architecture.md says how to add one.
import type { OptOutReason } from '../contacts/contacts.service.ts';

/** The `channel` of the messages a provider carries (the column and the GraphQL enum). */
export type MessageChannel = 'SMS' | 'WHATSAPP';

/** Where an outbound message stands, as Hatch records it. READ: the recipient opened it (WhatsApp). */
export type DeliveryStatus = 'SENDING' | 'SENT' | 'DELIVERED' | 'READ' | 'UNDELIVERED' | 'FAILED';

/** A message a provider has approved in advance, sent with its blanks filled in (WhatsApp templates). */
export interface MessageTemplate {
  /** The provider's id (Twilio's ContentSid, HX…). */
  sid: string;
  name: string;
  language: string;
  /** Its text, with blanks written {{1}}, {{2}}, … */
  body: string;
  /** Each blank, in order, with the sample the template was approved with. */
  variables: { name: string; example: string }[];
}

/** One outbound message as the outbox hands it to a channel. */
export interface OutboundMessage {
  /** Hatch's message id: also the provider's idempotency token, so a retried send is one message. */
  messageId: string;
  from: string;
  to: string;
  /** As it reads: free text, or the template's text with its blanks filled in. */
  body: string;
  /** Send this approved template rather than free text. */
  template?: { sid: string; variables: Record<string, string> };
}

export interface SendResult {
  providerSid: string;
  /** Where the provider says the message stands right after taking it. */
  status: DeliveryStatus;
}

/** A send that did not go through. `retryable` decides between another attempt and FAILED. */
export class SendError extends Error {
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

/** A message someone sent us, read out of the provider's webhook. */
export interface InboundMessage {
  /** The provider's id for it: the same id twice (a retried webhook) is stored once. */
  providerSid: string;
  from: string;
  to: string;
  body: string;
  media: { url: string; contentType: string | null }[];
  /** What it says about consent: true opts the sender out, false back in, undefined neither. */
  optOut: boolean | undefined;
  /** The name the sender gave themselves on the channel (WhatsApp's profile name), if any. */
  profileName?: string;
}

/** A provider's word about a message it carries, read out of a status webhook. */
export interface StatusReport {
  providerSid: string;
  /** As the provider says it (kept as it came, lower case, for the message's history). */
  status: string;
  errorCode?: string | null;
}

/** What a channel's webhooks hand to Hatch. Each resolves once the report is stored. */
export interface ChannelSink {
  inbound(message: InboundMessage): Promise<void>;
  status(report: StatusReport): Promise<void>;
}

/** A webhook route of a channel: the router mounts it without knowing its path. */
export interface ChannelRoute {
  path: string;
  /** The metrics and log label of its requests. */
  label: string;
  /** Bodies above this get 413 before the handler reads them. */
  maxBodyBytes: number;
  handle(request: Request): Promise<Response>;
}

export interface Channel {
  readonly id: MessageChannel;
  /** Who carries the messages, e.g. "twilio" or "simulator" (start-up logs, /ready, the inbox). */
  readonly provider: string;

  send(message: OutboundMessage): Promise<SendResult>;
  /**
   * Looks for a message an earlier, interrupted attempt may have created at the provider, so that
   * a retry adopts it instead of texting the person twice. Providers that cannot tell omit it.
   */
  findSent?(message: OutboundMessage, createdAfter: Date): Promise<SendResult | undefined>;
  /** What a message costs against the provider's rate (SMS: its segments). */
  units(body: string): number;
  /** Units per second the provider accepts from this sender; unlimited when omitted. */
  readonly maxUnitsPerSecond?: number;

  /**
   * The provider's approved templates (WhatsApp: the only messages allowed outside the 24-hour
   * window). Channels without templates omit it.
   */
  templates?(): Promise<MessageTemplate[]>;
  /** How long after the customer's last message free text may still be sent; unlimited when omitted. */
  readonly sessionWindowMs?: number;

  /** The routes the provider calls (inbound messages, status reports). */
  readonly routes: ChannelRoute[];

  /** A provider status word as Hatch's status; undefined for a word it does not know. */
  status(word: string): DeliveryStatus | undefined;
  /** A provider error code in words a person can act on. */
  describeError(code: string | null | undefined, fallback?: string): string | undefined;
  /** Whether a provider error says the recipient opted out, and how that is recorded. */
  optOutByError(code: string | null | undefined, to: string): OptOutReason | undefined;

  close?(): Promise<void>;
}
