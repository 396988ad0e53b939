import { Observable } from '../lib/store.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'paused' | 'failed';

export interface ConnectionStatus {
  state: ConnectionState;
  /**
   * Grows each time the event stream comes back after a break. Views do not reload for it (the
   * feeds resume from their cursors, and FeedGaps says when they could not); only a view whose own
   * read failed meanwhile tries again.
   */
  reconnects: number;
}

/** The state of the one event stream, as the live indicator and the views need it. */
export class ConnectionTracker extends Observable<ConnectionStatus> {
  constructor() {
    super({ state: 'connecting', reconnects: 0 });
  }

  /** The stream broke (or could not be opened) and another attempt is coming. */
  lost(): void {
    if (this.get().state !== 'reconnecting') this.set({ ...this.get(), state: 'reconnecting' });
  }

  /** The stream was closed on purpose (a hidden tab); opening it again counts as a reconnect. */
  paused(): void {
    this.set({ ...this.get(), state: 'paused' });
  }

  /** The client stopped trying (an error that retrying cannot fix): only a reload helps. */
  failed(): void {
    this.set({ ...this.get(), state: 'failed' });
  }

  /** The stream is open. After a break, anything may have happened meanwhile. */
  connected(afterBreak: boolean): void {
    const { state, reconnects } = this.get();
    if (state === 'live' && !afterBreak) return;
    this.set({ state: 'live', reconnects: afterBreak || state !== 'connecting' ? reconnects + 1 : reconnects });
  }
}

/** Wait before reconnect attempt `n` (0-based): quick at first, then every 10 s at most, with jitter. */
export function reconnectDelay(n: number, random = Math.random): number {
  return Math.min(250 * 2 ** n, 10_000) + Math.floor(random() * 250);
}
