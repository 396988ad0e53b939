import type { Context } from 'hono';
import { FEED_BATCH, messageChangesAfter, newestSeq } from '../../modules/realtime/feed-rows.ts';
import { parseCursor, prunedThrough, resumeAfter } from '../../modules/realtime/resume.ts';
import { legacyUpdate, unixSeconds } from '../../modules/legacy/shapes.ts';
import type { HatchEnv } from '../context.ts';
import { logSlowReader, openStream, type SseDeps } from '../sse/transport.ts';
import type { LegacyDeps } from './index.ts';
import { legacyError } from './responses.ts';
import { dataFrame, type LegacyStreams } from './streams.ts';

/**
 * `GET /api/events`: the old service's event stream, fed by the change feed like `messageUpdated`.
 *
 * Every event is a bare `data:` line whose JSON says its `type`, because that is how the old service
 * framed them and its clients listen with `onmessage`. Each `message_update` carries its feed
 * position as the SSE `id`, and so does `connected` (the position the stream starts from), so a
 * browser's EventSource sends `Last-Event-ID` when it reconnects and misses nothing in between,
 * even before its first message. A position retention has already pruned cannot be resumed: the
 * stream then starts from now and `connected` says `cursor_expired`, and the client reloads what it shows.
 */
export function legacyEvents(deps: LegacyDeps, streams: LegacyStreams) {
  return async (c: Context<HatchEnv>): Promise<Response> => {
    const principal = c.get('principal')!;
    const given = c.req.header('last-event-id')?.trim();
    let after: bigint | undefined;
    try {
      after = given ? parseCursor(given) : undefined;
    } catch {
      return legacyError(400, 'BAD_USER_INPUT', `Last-Event-ID "${given!.slice(0, 40)}" is not an event id this server gave out.`);
    }
    const expired = after !== undefined && after < (await prunedThrough(deps.db));
    if (expired) after = undefined;
    // Listening starts before the starting position is read: a change committed in between is
    // replayed from the feed or heard live, and the cursor order drops whichever comes twice.
    const live = deps.pubsub.subscribe('messageUpdated');
    let start: bigint;
    try {
      start = after ?? (await newestSeq(deps.db));
    } catch (err) {
      await live.return?.();
      throw err;
    }
    const changes = resumeAfter(start, live, (position) => messageChangesAfter(deps.db, position), FEED_BATCH, async () => start >= (await prunedThrough(deps.db)));
    const iterator = changes[Symbol.asyncIterator]();

    // openStream needs only the heartbeat, the access rules and the limits of the SSE transports.
    const { stream, response } = openStream(c, deps as unknown as SseDeps);
    logSlowReader(stream, deps.log, { stream: 'legacy', caller: principal.name });
    stream.onClose(() => void iterator.return?.());
    stream.write(dataFrame({ type: 'connected', timestamp: unixSeconds(new Date()), resumed: after !== undefined, ...(expired && { cursor_expired: true }) }, start.toString()));

    // The last event says why the stream ends; old clients ignore a type they do not know.
    const end = (code: string, error: string, reason: 'done' | 'revoked') => {
      stream.write(dataFrame({ type: 'error', code, error, timestamp: unixSeconds(new Date()) }));
      stream.close(reason);
    };
    streams
      .add(stream, principal, () => end('UNAUTHENTICATED', 'The credentials of this stream were revoked or have expired.', 'revoked'))
      .catch((err) => {
        deps.log.error({ err }, 'could not watch the credentials of an event stream; closing it');
        stream.close('done');
      });

    void (async () => {
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done || !stream.write(dataFrame(legacyUpdate(next.value), next.value.cursor))) break;
        }
      } catch (err) {
        // Retention pruned under a replay from an old position: the client must reload, then listen again.
        const code = (err as { extensions?: { code?: string } }).extensions?.code;
        if (code === 'CURSOR_EXPIRED') end(code, (err as Error).message, 'done');
        else deps.log.error({ err }, 'legacy event stream failed');
      } finally {
        stream.close('done');
      }
    })();
    return response;
  };
}
