import { Observable } from '../../lib/store.ts';

/** A WhatsApp template to send: its ContentSid and every blank's value. */
export interface PendingTemplate {
  sid: string;
  variables: { name: string; value: string }[];
}

/** A message shown before the server has answered for it. */
export interface PendingSend {
  /** The idempotency key: a retry reuses it, so the server never sends twice. */
  key: string;
  /** Who it goes to: as typed for a new conversation, the other participant for a reply. */
  to: string;
  /** Set for a reply: it is sent into this conversation, from its side that is ours… */
  conversationId?: string;
  /** …or from this participant, when the server does not know which side is ours. */
  from?: string;
  /** A new conversation with a phone number: the channel chosen for it (none: as typed). */
  channel?: 'SMS' | 'WHATSAPP';
  /** The text shown; for a template, its text filled in. */
  body: string;
  /** Sent as this WhatsApp template rather than as free text. */
  template?: PendingTemplate;
  /** Date.now() when it was sent, in this window's clock only. */
  startedAt: number;
  state: 'sending' | 'failed';
  /** Why the server refused it when it was sent again (after a reload, say): it waits to be discarded. */
  error?: string;
}

const PREFIX = 'hatch:unsent:';

/**
 * Messages not yet accepted by the server. With a `scope` (the signed-in person) each is also kept
 * in localStorage, one entry per message, so that an unsent message survives a reload or a closed
 * tab and is sent when the inbox is next live; the idempotency key makes sending it again from any
 * tab safe. One entry per message, rather than one list, so two tabs never overwrite each other's.
 */
export class PendingStore extends Observable<readonly PendingSend[]> {
  private readonly prefix: string | undefined;

  constructor(scope?: string) {
    super([]);
    this.prefix = scope === undefined ? undefined : `${PREFIX}${scope}:`;
    if (this.prefix) this.set(this.restore());
  }

  add(p: PendingSend): void {
    this.set([...this.get().filter((x) => x.key !== p.key), p]);
    this.save(p);
  }

  update(key: string, patch: Partial<Omit<PendingSend, 'key'>>): void {
    this.set(this.get().map((p) => (p.key === key ? { ...p, ...patch } : p)));
    const p = this.get().find((x) => x.key === key);
    if (p) this.save(p);
  }

  remove(key: string): void {
    if (this.get().some((p) => p.key === key)) this.set(this.get().filter((p) => p.key !== key));
    if (this.prefix) attempt(() => localStorage.removeItem(this.prefix + key));
  }

  /** Another tab sent (or dropped) one of ours: it is no longer waiting here either. */
  forgetIfGone(storageKey: string | null): void {
    if (!this.prefix || !storageKey?.startsWith(this.prefix)) return;
    const key = storageKey.slice(this.prefix.length);
    if (attempt(() => localStorage.getItem(storageKey)) == null && this.get().some((p) => p.key === key)) this.set(this.get().filter((p) => p.key !== key));
  }

  private save(p: PendingSend): void {
    if (this.prefix) attempt(() => localStorage.setItem(this.prefix + p.key, JSON.stringify(p)));
  }

  /** What an earlier page left unsent. Whatever it was doing was cut short: each is unsent now. */
  private restore(): PendingSend[] {
    const found: PendingSend[] = [];
    attempt(() => {
      for (let i = 0; i < localStorage.length; i++) {
        const name = localStorage.key(i);
        if (!name?.startsWith(this.prefix!)) continue;
        const p = JSON.parse(localStorage.getItem(name) ?? 'null') as PendingSend | null;
        if (p && typeof p.key === 'string' && typeof p.body === 'string') found.push({ ...p, state: 'failed' });
      }
    });
    return found.sort((a, b) => a.startedAt - b.startedAt);
  }
}

/** Storage can be full, blocked or corrupt; the messages then live in memory only. */
function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
