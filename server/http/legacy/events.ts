import type { Context } from 'hono';
import { legacyUpdate, unixSeconds } from '../../modules/legacy/shapes.ts';
import type { ChangeFeed } from '../../modules/realtime/index.ts';
import type { HatchEnv } from '../context.ts';
import { Heartbeat, type EventStream } from '../streaming/event-stream.ts';
import { REVOKED } from '../streaming/hub.ts';
import { logSlowReader, openOperationStream, type StreamingCore } from '../streaming/open-stream.ts';
import { legacyError } from './responses.ts';

/** A data-only event, as the old service framed every event (its clients listen with `onmessage`). */
const dataFrame = (data: unknown, id?: string): string => `${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;

/**
 * The operation behind the stream: `messageUpdated` resuming after a position, run by the same hub
 * and resume path as every GraphQL subscription. The old stream always resumes from somewhere (the
 * client's Last-Event-ID, else the feed's newest position), so it never misses what happens while
 * it starts.
 */
const OPERATION = `subscription LegacyEvents($after: String!) {
  messageUpdated(after: $after) { cursor action conversationId messageId occurredAt }
}`;

interface Update {
  cursor: string;
  action: 'INSERT' | 'UPDATE' | 'DELETE';
  conversationId: string;
  messageId: string;
  occurredAt: string;
}

/**
 * `GET /api/events`: the old service's event stream, as a subscriber of the subscription hub like
 * every GraphQL transport (same limits, revocation and resume), in the old framing.
 *
 * Every event is a bare `data:` line whose JSON says its `type`, because that is how the old service
 * framed them and its clients listen with `onmessage`. Each `message_update` carries its feed
 * position as the SSE `id`, and so does `connected` (the position the stream starts from), so a
 * browser's EventSource sends `Last-Event-ID` when it reconnects and misses nothing in between,
 * even before its first message. A position retention has already pruned cannot be resumed: the
 * stream then starts from now and `connected` says `cursor_expired`, and the client reloads what it shows.
 */
export function legacyEvents(core: StreamingCore, feed: ChangeFeed, keepaliveMs: number) {
  // The old heartbeat, a `keepalive` event its clients saw as a message, beside the comment ping.
  const keepalive = new Heartbeat(() => dataFrame({ type: 'keepalive', timestamp: unixSeconds(new Date()) }), keepaliveMs);
  const framing = { heartbeats: [core.heartbeat, keepalive] };
  return async (c: Context<HatchEnv>): Promise<Response> => {
    const given = c.req.header('last-event-id')?.trim();
    if (given && !/^\d{1,19}$/.test(given)) {
      return legacyError(400, 'BAD_USER_INPUT', `Last-Event-ID "${given.slice(0, 40)}" is not an event id this server gave out.`);
    }
    const resumed = given !== undefined && given !== '';
    const expired = resumed && !(await feed.keeps(BigInt(given)));
    const start = resumed && !expired ? given : (await feed.newest()).toString();

    const opened = await openOperationStream(c, core, framing, { query: OPERATION, variables: { after: start } }, (message) =>
      legacyError(429, 'TOO_MANY_STREAMS', message),
    );
    if (opened instanceof Response) return opened;
    const { principal, prepared, stream, response } = opened;
    logSlowReader(stream, core.log, { stream: 'legacy', caller: principal.name });
    stream.write(dataFrame({ type: 'connected', timestamp: unixSeconds(new Date()), resumed: resumed && !expired, ...(expired && { cursor_expired: true }) }, start));

    // The last event says why the stream ends; old clients ignore a type they do not know.
    const end = (code: string, error: string, reason: 'done' | 'revoked') => {
      stream.write(dataFrame({ type: 'error', code, error, timestamp: unixSeconds(new Date()) }));
      stream.close(reason);
    };
    if (prepared.kind === 'result') {
      core.log.error({ errors: prepared.result.errors }, 'the old event stream could not start');
      end('INTERNAL_SERVER_ERROR', 'The event stream could not start.', 'done');
      return response;
    }
    const leave = core.hub.join(prepared, {
      principal,
      next: (json) => write(stream, json, end, core.log),
      complete: () => stream.close('done'),
    });
    stream.onClose(leave);
    return response;
  };
}

/** One result of the subscription, in the old framing; errors end the stream with an `error` event. */
function write(stream: EventStream, json: string, end: (code: string, error: string, reason: 'done' | 'revoked') => void, log: StreamingCore['log']): void {
  if (json === REVOKED) return end('UNAUTHENTICATED', 'The credentials of this stream were revoked or have expired.', 'revoked');
  const result = JSON.parse(json) as { data?: { messageUpdated: Update } | null; errors?: { message: string; extensions?: { code?: string } }[] };
  const update = result.data?.messageUpdated;
  if (update) {
    const event = legacyUpdate({ ...update, occurredAt: new Date(update.occurredAt) });
    if (!stream.write(dataFrame(event, update.cursor))) stream.close('done');
    return;
  }
  const error = result.errors?.[0];
  // Retention pruned under a replay from an old position: the client must reload, then listen again.
  if (error?.extensions?.code === 'CURSOR_EXPIRED') return end('CURSOR_EXPIRED', error.message, 'done');
  log.error({ errors: result.errors }, 'legacy event stream failed');
  stream.close('done');
}
