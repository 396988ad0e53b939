import type { Client, ExecutionResult, RequestParams, Sink } from 'graphql-sse';
import { describe, expect, it, vi } from 'vitest';
import { LiveStream } from './live-stream.ts';

/** A stand-in graphql-sse client that records subscriptions and ends them all on dispose. */
function fakeClient() {
  const subs: { request: RequestParams; sink: Sink<ExecutionResult>; stopped: boolean }[] = [];
  const client = {
    subscribe: (request: RequestParams, sink: Sink<ExecutionResult>) => {
      const s = { request, sink, stopped: false };
      subs.push(s);
      return () => void (s.stopped = true);
    },
    dispose: () => queueMicrotask(() => subs.forEach((s) => s.sink.complete())),
    iterate: () => {
      throw new Error('unused');
    },
  } as unknown as Client<true>;
  return { client, subs };
}

const sink = () => ({ next: vi.fn(), error: vi.fn(), complete: vi.fn() });

describe('LiveStream', () => {
  it('sends every subscription again on a new stream after a pause, and hides the end of the old one', async () => {
    const clients = [fakeClient(), fakeClient()];
    let opened = 0;
    const stream = new LiveStream(() => clients[opened++]!.client);
    const a = sink();
    stream.subscribe({ query: 'subscription A { a }' }, a);
    expect(clients[0]!.subs).toHaveLength(1);

    stream.pause();
    expect(stream.paused).toBe(true);
    stream.resume();
    await Promise.resolve(); // the old stream's late "complete" arrives after the resume
    expect(a.complete).not.toHaveBeenCalled();
    expect(clients[1]!.subs.map((s) => s.request.query)).toEqual(['subscription A { a }']);

    clients[1]!.subs[0]!.sink.next({ data: { a: 1 } });
    expect(a.next).toHaveBeenCalledWith({ data: { a: 1 } });
  });

  it('subscribes later subscribers on resume, and forgets those that left while paused', () => {
    const clients = [fakeClient(), fakeClient()];
    let opened = 0;
    const stream = new LiveStream(() => clients[opened++]!.client);
    const leave = stream.subscribe({ query: 'subscription A { a }' }, sink());
    stream.pause();
    stream.subscribe({ query: 'subscription B { b }' }, sink());
    leave();
    stream.resume();
    expect(clients[1]!.subs.map((s) => s.request.query)).toEqual(['subscription B { b }']);
  });

  it('passes on real errors and stops forwarding after unsubscribe', () => {
    const { client, subs } = fakeClient();
    const stream = new LiveStream(() => client);
    const a = sink();
    const stop = stream.subscribe({ query: 'subscription A { a }' }, a);
    subs[0]!.sink.error(new Error('bad'));
    expect(a.error).toHaveBeenCalled();
    stop();
    expect(subs[0]!.stopped).toBe(true);
    subs[0]!.sink.next({ data: {} });
    expect(a.next).not.toHaveBeenCalled();
  });
});
