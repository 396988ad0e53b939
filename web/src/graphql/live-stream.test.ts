import type { Client, ExecutionResult, RequestParams, Sink } from 'graphql-sse';
import { describe, expect, it, vi } from 'vitest';
import { LiveStream, type StreamEvents } from './live-stream.ts';

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

/** A LiveStream over fake clients, with the connection reports of the newest one at hand. */
function resumingStream() {
  const clients: ReturnType<typeof fakeClient>[] = [];
  const reports: StreamEvents[] = [];
  const gaps = vi.fn();
  const stream = new LiveStream((events) => {
    reports.push(events);
    clients.push(fakeClient());
    return clients.at(-1)!.client;
  }, gaps);
  return { stream, clients, gaps, events: () => reports.at(-1)!, subs: () => clients.at(-1)!.subs };
}

const FEED = { query: 'subscription Feed($after: String, $c: ID) { messageUpdated(after: $after, conversationId: $c) { cursor } }', variables: { c: 'c1' } };
const event = (cursor: string) => ({ data: { messageUpdated: { cursor } } });
// As the server sends it: an error in place of an event (graphql-sse types it with GraphQLError instances).
const expired = { errors: [{ message: 'Changes after this cursor are no longer kept', extensions: { code: 'CURSOR_EXPIRED' } }] } as unknown as ExecutionResult;

describe('LiveStream resuming by cursor', () => {
  it('after a break, sends a resumable subscription again with `after` its newest cursor, and views need not reload', () => {
    const { stream, gaps, events, subs } = resumingStream();
    const a = sink();
    stream.subscribe(FEED, a, { resumable: true });
    subs()[0]!.sink.next(event('5'));
    subs()[0]!.sink.next(event('7'));

    events().lost();
    expect(subs()[0]!.stopped).toBe(true);
    expect(subs()).toHaveLength(1); // nothing is sent while the connection is down
    events().connected(true);
    expect(subs()[1]!.request.variables).toEqual({ c: 'c1', after: '7' });
    expect(gaps).not.toHaveBeenCalled();

    subs()[0]!.sink.next(event('8')); // late, from what was sent before the break
    subs()[1]!.sink.next(event('8'));
    expect(a.next.mock.calls.map(([r]) => r)).toEqual([event('5'), event('7'), event('8')]);
  });

  it('after a pause, sends it on the new stream from its newest cursor', () => {
    const { stream, clients, gaps, events } = resumingStream();
    stream.subscribe(FEED, sink(), { resumable: true });
    clients[0]!.subs[0]!.sink.next(event('12'));
    stream.pause();
    stream.resume();
    events().connected(false);
    expect(clients[1]!.subs.map((s) => s.request.variables)).toEqual([{ c: 'c1', after: '12' }]);
    expect(gaps).not.toHaveBeenCalled();
  });

  it('drops an event it has passed on already, so no event is applied twice', () => {
    const { stream, subs } = resumingStream();
    const a = sink();
    stream.subscribe(FEED, a, { resumable: true });
    for (const cursor of ['3', '4', '4', '2', '10']) subs()[0]!.sink.next(event(cursor));
    expect(a.next.mock.calls.map(([r]) => r)).toEqual([event('3'), event('4'), event('10')]);
  });

  it('sends a subscription that has had no event yet as it was, and has views reload once the stream is up', () => {
    const { stream, gaps, events, subs } = resumingStream();
    stream.subscribe(FEED, sink(), { resumable: true });
    stream.subscribe({ query: 'subscription Quiet($after: String) { conversationUpdated(after: $after) { cursor } }' }, sink(), { resumable: true });
    subs()[0]!.sink.next(event('3'));
    events().lost();
    events().connected(true);
    expect(subs().slice(2).map((s) => s.request.variables)).toEqual([{ c: 'c1', after: '3' }, undefined]);
    expect(gaps).toHaveBeenCalledTimes(1);
  });

  it('counts a subscription that is not resumable as one that cannot catch up', () => {
    const { stream, gaps, events, subs } = resumingStream();
    stream.subscribe({ query: 'subscription A { a }' }, sink());
    subs()[0]!.sink.next({ data: { a: { cursor: '5' } } });
    events().lost();
    events().connected(true);
    expect(subs()[1]!.request).toEqual({ query: 'subscription A { a }' });
    expect(gaps).toHaveBeenCalledTimes(1);
  });

  it('sends one whose first event is the whole state (presence) again as it was, and views need not reload', () => {
    const { stream, gaps, events, subs } = resumingStream();
    stream.subscribe({ query: 'subscription P { presence }' }, sink(), { complete: true });
    subs()[0]!.sink.next({ data: { presence: { viewers: [] } } });
    events().lost();
    events().connected(true);
    expect(subs()[1]!.request).toEqual({ query: 'subscription P { presence }' });
    expect(gaps).not.toHaveBeenCalled();
  });

  it('after a pause, asks views to reload only once the new stream is up', () => {
    const { stream, gaps, events } = resumingStream();
    stream.subscribe(FEED, sink(), { resumable: true });
    stream.pause();
    stream.resume();
    expect(gaps).not.toHaveBeenCalled();
    events().connected(false);
    expect(gaps).toHaveBeenCalledTimes(1);
  });

  it('on CURSOR_EXPIRED, subscribes again without `after` and has views reload; the error is not passed on', () => {
    const { stream, gaps, events, subs } = resumingStream();
    const a = sink();
    stream.subscribe(FEED, a, { resumable: true });
    subs()[0]!.sink.next(event('7'));
    events().lost();
    events().connected(true);

    subs()[1]!.sink.next(expired);
    subs()[1]!.sink.complete();
    expect(subs()[1]!.stopped).toBe(true);
    expect(subs()[2]!.request.variables).toEqual({ c: 'c1' });
    expect(gaps).toHaveBeenCalledTimes(1);
    expect(a.next).toHaveBeenCalledTimes(1);
    expect(a.error).not.toHaveBeenCalled();
    expect(a.complete).not.toHaveBeenCalled();

    // From now: a cursor below the expired one is new.
    subs()[2]!.sink.next(event('2'));
    expect(a.next).toHaveBeenLastCalledWith(event('2'));
  });

  it('falls back the same way when a resumed subscription ends in a transport error', () => {
    const { stream, gaps, events, subs } = resumingStream();
    const a = sink();
    stream.subscribe(FEED, a, { resumable: true });
    subs()[0]!.sink.next(event('7'));
    events().lost();
    events().connected(true);
    subs()[1]!.sink.error(new Error('Server responded with 400'));
    expect(subs()[2]!.request.variables).toEqual({ c: 'c1' });
    expect(gaps).toHaveBeenCalledTimes(1);
    expect(a.error).not.toHaveBeenCalled();
  });

  it('passes on the errors of a subscription that was sent without `after`, as before', () => {
    const { stream, gaps, subs } = resumingStream();
    const a = sink();
    stream.subscribe(FEED, a, { resumable: true });
    subs()[0]!.sink.next(expired);
    expect(a.next).toHaveBeenCalledWith(expired);
    subs()[0]!.sink.error(new Error('gone'));
    expect(a.error).toHaveBeenCalled();
    expect(subs()).toHaveLength(1);
    expect(gaps).not.toHaveBeenCalled();
  });

  it('replaces what graphql-sse re-sent by itself when the connection is back without a report of the break', () => {
    const { stream, events, subs } = resumingStream();
    stream.subscribe(FEED, sink(), { resumable: true });
    subs()[0]!.sink.next(event('9'));
    events().connected(true);
    expect(subs()[0]!.stopped).toBe(true);
    expect(subs()[1]!.request.variables).toEqual({ c: 'c1', after: '9' });
    expect(subs()[1]!.stopped).toBe(false);
  });

  it('sends subscriptions that arrive during a break once it is over', () => {
    const { stream, events, subs } = resumingStream();
    events().lost();
    stream.subscribe(FEED, sink(), { resumable: true });
    expect(subs()).toHaveLength(0);
    events().connected(true);
    expect(subs().map((s) => s.request)).toEqual([FEED]);
  });

  it('ignores what a client it has replaced still reports', () => {
    const { stream, clients, events, subs } = resumingStream();
    stream.subscribe(FEED, sink(), { resumable: true });
    const old = events();
    stream.pause();
    stream.resume();
    old.lost();
    old.connected(true);
    expect(subs()).toHaveLength(1);
    expect(subs()[0]!.stopped).toBe(false);
    expect(clients).toHaveLength(2);
  });
});
