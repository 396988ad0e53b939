import { randomBytes } from 'node:crypto';
import type { OutboundSms, ProviderStatus, SmsSender, SmsSendResult } from './sms-sender.ts';

export type StatusSink = (providerSid: string, status: ProviderStatus) => Promise<void>;

/**
 * Used when no Twilio credentials are configured: nothing leaves the machine. It accepts every SMS
 * and then reports "sent" and "delivered" through `report`, which is the same status path that
 * Twilio's callbacks take, so the rest of the system cannot tell the difference.
 */
export class SimulatorSmsSender implements SmsSender {
  readonly name = 'simulator';
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly report: StatusSink,
    private readonly stepMs = 400,
  ) {}

  async send(_sms: OutboundSms): Promise<SmsSendResult> {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    this.later(this.stepMs, () => this.report(sid, 'sent'));
    this.later(this.stepMs * 2, () => this.report(sid, 'delivered'));
    return { providerSid: sid, status: 'queued' };
  }

  private later(ms: number, fn: () => Promise<void>) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn().catch(() => {});
    }, ms);
    this.timers.add(timer);
  }

  async close() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
