import type { Client as SseClient, ExecutionResult, RequestParams, Sink } from 'graphql-sse';

interface Active {
  request: RequestParams;
  sink: Sink<ExecutionResult>;
  stop?: () => void;
}

/**
 * The window's subscriptions on one graphql-sse stream that can be closed and opened again
 * without the subscribers noticing: a tab that has been hidden for a while gives its connection
 * back, since a browser shares six per host among all tabs on HTTP/1.1 and each inbox tab holds
 * one. On resume every subscription is sent again on a new stream (and views reload what they
 * show, as after any reconnect).
 */
export class LiveStream {
  private client: SseClient<true> | undefined;
  private generation = 0;
  private active = new Map<number, Active>();
  private nextId = 0;

  constructor(private readonly open: () => SseClient<true>) {
    this.resume();
  }

  get paused(): boolean {
    return this.client === undefined;
  }

  subscribe(request: RequestParams, sink: Sink<ExecutionResult>): () => void {
    const id = this.nextId++;
    const entry: Active = { request, sink };
    this.active.set(id, entry);
    if (this.client) entry.stop = this.client.subscribe(request, this.forward(id, sink));
    return () => {
      this.active.delete(id);
      entry.stop?.();
    };
  }

  pause(): void {
    if (!this.client) return;
    this.generation++;
    const client = this.client;
    this.client = undefined;
    for (const entry of this.active.values()) entry.stop = undefined;
    client.dispose();
  }

  resume(): void {
    if (this.client) return;
    this.client = this.open();
    for (const [id, entry] of this.active) entry.stop = this.client.subscribe(entry.request, this.forward(id, entry.sink));
  }

  dispose(): void {
    this.pause();
    this.active.clear();
  }

  /** Passes results on; an end that only comes from closing the stream for a pause is not passed. */
  private forward(id: number, sink: Sink<ExecutionResult>): Sink<ExecutionResult> {
    const generation = this.generation;
    const current = () => generation === this.generation && this.active.has(id);
    return {
      next: (value) => current() && sink.next(value),
      error: (error) => current() && sink.error(error),
      complete: () => current() && sink.complete(),
    };
  }
}
