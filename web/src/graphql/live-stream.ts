import type { Client as SseClient, ExecutionResult, RequestParams, Sink } from 'graphql-sse';
import { cursorOf, isFailure, ResumePoint } from './resume-point.ts';

/** What the graphql-sse client says about its connection (wired up by whoever opens it). */
export interface StreamEvents {
  /** The connection broke; graphql-sse will try again. */
  lost(): void;
  /** The connection is open; `afterBreak` when it follows a failure. */
  connected(afterBreak: boolean): void;
}

export interface LiveSubscribeOptions {
  /** Sent again after a break with `after` the newest cursor it has passed on (see ResumePoint). */
  resumable?: boolean;
  /**
   * Its first event after any (re)subscription is the whole current state (presence): sending it
   * again after a break loses nothing, so it asks no view to read its data again.
   */
  complete?: boolean;
}

/** One sending of a subscription on the current stream. */
interface Sending {
  stop: () => void;
  /** Sent with `after`: an error means the resume failed. */
  resumed: boolean;
}

interface Active {
  request: RequestParams;
  sink: Sink<ExecutionResult>;
  point: ResumePoint | undefined;
  /** Its first event is the whole state: no gap when it is sent again without a cursor. */
  complete: boolean;
  /** Undefined while the stream is down or paused. */
  sending: Sending | undefined;
}

/**
 * The window's subscriptions on one graphql-sse stream, which they outlive: a break (network, server
 * restart) or a pause (a tab hidden for a while gives its connection back, since a browser shares
 * six per host among all tabs on HTTP/1.1) ends what was sent on it, and when the stream is back
 * every subscription is sent again without its subscriber noticing.
 *
 * Sent again by this class, and not by the feed components re-subscribing with new variables,
 * because this is where the stream's breaks are seen first and where every event passes in order:
 * - graphql-sse on its own re-sends each operation after a reconnect with the body it was first
 *   given, so it would resume from the start (or a stale cursor). Here each operation is ended when
 *   the connection breaks and sent afresh, with the cursor read at that moment, once it is back. A
 *   component re-subscribing from an effect would come after graphql-sse's own re-send, and the
 *   server would run both for a moment.
 * - The cursor recorded is that of the last event actually passed on, in the order they pass, and
 *   the same place drops a repeat (a cursor not past it), so nothing is applied twice: the stores'
 *   "newer copy wins" rules do not make every repeat harmless (a replayed INSERT after a DELETE
 *   would bring a message back).
 * A subscription that cannot resume (no event yet, or not resumable) is sent as it was, and
 * `onGap` asks the views to read what they show again, once the stream is up. So does a resumed
 * subscription that fails (CURSOR_EXPIRED): it is sent again without `after`.
 */
export class LiveStream {
  private client: SseClient<true> | undefined;
  /** Grows with each client opened, so that a replaced client's late reports are ignored. */
  private generation = 0;
  /** Whether the subscriptions are sent on the current client; false from a break until it is over. */
  private attached = false;
  private gapPending = false;
  private active = new Map<number, Active>();
  private nextId = 0;

  constructor(
    private readonly open: (events: StreamEvents) => SseClient<true>,
    private readonly onGap: () => void = () => {},
  ) {
    this.resume();
  }

  get paused(): boolean {
    return this.client === undefined;
  }

  subscribe(request: RequestParams, sink: Sink<ExecutionResult>, options: LiveSubscribeOptions = {}): () => void {
    const id = this.nextId++;
    const entry: Active = { request, sink, point: options.resumable ? new ResumePoint() : undefined, complete: options.complete === true, sending: undefined };
    this.active.set(id, entry);
    if (this.attached) this.send(entry);
    return () => {
      this.active.delete(id);
      this.unsend(entry);
    };
  }

  pause(): void {
    if (!this.client) return;
    this.detach();
    const client = this.client;
    this.client = undefined;
    this.generation++;
    client.dispose();
  }

  resume(): void {
    if (this.client) return;
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    this.client = this.open({
      lost: () => current() && this.detach(),
      connected: (afterBreak) => current() && this.connected(afterBreak),
    });
    this.attach();
  }

  dispose(): void {
    this.pause();
    this.active.clear();
  }

  private connected(afterBreak: boolean): void {
    // Normally `lost` came first; if not, whatever graphql-sse re-sent by itself is replaced here.
    if (afterBreak || !this.attached) {
      this.detach();
      this.attach();
    }
    if (this.gapPending) {
      this.gapPending = false;
      this.onGap();
    }
  }

  private attach(): void {
    this.attached = true;
    for (const entry of this.active.values()) {
      if (!entry.complete && entry.point?.cursor === undefined) this.gapPending = true;
      this.send(entry);
    }
  }

  private detach(): void {
    if (!this.attached) return;
    this.attached = false;
    for (const entry of this.active.values()) this.unsend(entry);
  }

  private send(entry: Active): void {
    const client = this.client;
    if (!client) return;
    const resumed = entry.point?.cursor !== undefined;
    const request = resumed ? { ...entry.request, variables: entry.point!.variables(entry.request.variables) } : entry.request;
    const sending: Sending = { stop: () => {}, resumed };
    entry.sending = sending;
    // Only the current sending speaks: an ended one's late results, errors and end are dropped.
    const current = () => entry.sending === sending;
    const sink: Sink<ExecutionResult> = {
      next: (result) => current() && this.deliver(entry, sending, result),
      error: (error) => current() && (sending.resumed ? this.startOver(entry) : entry.sink.error(error)),
      complete: () => current() && entry.sink.complete(),
    };
    sending.stop = client.subscribe(request, sink);
  }

  private unsend(entry: Active): void {
    const sending = entry.sending;
    entry.sending = undefined;
    sending?.stop();
  }

  private deliver(entry: Active, sending: Sending, result: ExecutionResult): void {
    if (sending.resumed && isFailure(result)) return this.startOver(entry);
    const cursor = cursorOf(result);
    if (entry.point && cursor !== undefined && !entry.point.advance(cursor)) return;
    entry.sink.next(result);
  }

  /** A resume failed: subscribe from now, without `after`, and have the views read their data again. */
  private startOver(entry: Active): void {
    entry.point?.forget();
    this.unsend(entry);
    this.send(entry);
    this.onGap();
  }
}
