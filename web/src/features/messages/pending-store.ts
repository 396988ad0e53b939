import { Observable } from '../../lib/store.ts';

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
  body: string;
  /** Date.now() when it was sent, in this window's clock only. */
  startedAt: number;
  state: 'sending' | 'failed';
}

export class PendingStore extends Observable<readonly PendingSend[]> {
  constructor() {
    super([]);
  }

  add(p: PendingSend): void {
    this.set([...this.get().filter((x) => x.key !== p.key), p]);
  }

  update(key: string, patch: Partial<Omit<PendingSend, 'key'>>): void {
    this.set(this.get().map((p) => (p.key === key ? { ...p, ...patch } : p)));
  }

  remove(key: string): void {
    if (this.get().some((p) => p.key === key)) this.set(this.get().filter((p) => p.key !== key));
  }
}
