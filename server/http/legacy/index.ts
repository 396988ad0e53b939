import type { Hono, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { isUuid } from '../../lib/errors.ts';
import { conversationOrder, conversationsWithLastMessage, messagesAfter } from '../../modules/legacy/reads.ts';
import { legacyConversation, legacyMessage } from '../../modules/legacy/shapes.ts';
import type { MessagesService } from '../../modules/messages/messages.service.ts';
import type { ChangeFeed } from '../../modules/realtime/index.ts';
import type { Access } from '../access.ts';
import { CHALLENGE, requireSignIn } from '../authenticate.ts';
import type { HatchEnv } from '../context.ts';
import type { StreamingCore } from '../streaming/open-stream.ts';
import { legacyEvents } from './events.ts';
import { jsonList, legacyError, legacyJson } from './responses.ts';
import { legacySend } from './send.ts';

/** What the Flask service's REST API and event stream are served with: the same services as GraphQL. */
export interface LegacyDeps {
  db: Database;
  messages: MessagesService;
  feed: ChangeFeed;
  /** The streaming core every live transport shares: /api/events is one of its subscribers. */
  streaming: StreamingCore;
  log: Logger;
}

export const LEGACY_PATH = '/api';

const CONVERSATIONS_PAGE = 200;
const MESSAGES_PAGE = 500;


/** The old service's endpoints under /api (HATCH_LEGACY_API), a thin layer over Hatch's own services. */
export function mountLegacyApi(app: Hono<HatchEnv>, deps: LegacyDeps): void {
  const { db, log } = deps;
  // Anyone not signed in is refused in the old API's shape.
  const auth = requireSignIn((message) => legacyError(401, 'UNAUTHENTICATED', message, {}, CHALLENGE));

  app.get(`${LEGACY_PATH}/conversations`, auth, async () => {
    const order = await conversationOrder(db);
    return jsonList('conversations', pagesOf(order, CONVERSATIONS_PAGE, async (ids) => (await conversationsWithLastMessage(db, ids)).map(legacyConversation)), log);
  });

  app.get(`${LEGACY_PATH}/conversation/:id/messages`, auth, async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) return legacyError(400, 'BAD_USER_INPUT', `"${id.slice(0, 60)}" is not a conversation id.`, { messages: [] });
    // An unknown conversation has no messages: the old service answered so, and its clients expect it.
    return jsonList('messages', messagePages(db, id.toLowerCase()), log);
  });

  app.post(`${LEGACY_PATH}/send_message`, auth, legacySend(deps.messages));
  // EventSource cannot send a token: a program (or a page on another origin) asks for a ticket with
  // its credential and opens the stream with `?ticket=`. On our own origin the session cookie works.
  app.post(`${LEGACY_PATH}/events/ticket`, auth, async (c) => {
    const issued = await deps.streaming.access.ticketFor(c.get('principal')!);
    if (!issued) return legacyError(400, 'BAD_REQUEST', 'Sign-in is off here: /api/events needs no ticket.');
    return legacyJson({ success: true, ticket: issued.ticket, expires_in: issued.expiresInSeconds });
  });
  app.get(`${LEGACY_PATH}/events`, streamTicket(deps.streaming.access), auth, legacyEvents(deps.streaming, deps.feed, deps.streaming.limits.legacyKeepaliveMs));

  for (const [path, method] of [['conversations', 'GET'], ['conversation/:id/messages', 'GET'], ['send_message', 'POST'], ['events', 'GET'], ['events/ticket', 'POST']]) {
    app.all(`${LEGACY_PATH}/${path}`, () => legacyError(405, 'METHOD_NOT_ALLOWED', `Use ${method}.`, {}, { allow: method! }));
  }
  app.all(`${LEGACY_PATH}/*`, (c) => legacyError(404, 'NOT_FOUND', `No such endpoint: ${c.req.method} ${c.req.path.slice(0, 100)}.`));
}

/** Answers /api/* when the old API is turned off (HATCH_LEGACY_API=false), so no client mistakes the inbox page for it. */
export const legacyApiOff = () => legacyJson({ success: false, error: 'The Flask-compatible API is turned off here (HATCH_LEGACY_API=false).', code: 'NOT_FOUND' }, 404);

async function* pagesOf<T>(items: string[], size: number, load: (page: string[]) => Promise<T[]>): AsyncGenerator<T[]> {
  for (let i = 0; i < items.length; i += size) yield await load(items.slice(i, i + size));
}

async function* messagePages(db: Database, conversationId: string): AsyncGenerator<unknown[]> {
  let last: Awaited<ReturnType<typeof messagesAfter>>[number] | undefined;
  for (;;) {
    const page = await messagesAfter(db, conversationId, last, MESSAGES_PAGE);
    if (page.length) yield page.map(legacyMessage);
    if (page.length < MESSAGES_PAGE) return;
    last = page.at(-1);
  }
}

/**
 * Signs in an /api/events request by its `?ticket=` (used up here), when it brought no other
 * credential. A ticket that does not work is a 401 like any other bad credential.
 */
function streamTicket(access: Access): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    const ticket = c.req.query('ticket');
    if (ticket === undefined || c.get('principal')) return next();
    const principal = await access.byTicket(ticket);
    c.set('principal', principal ?? null);
    c.set('credentials', principal ? 'token' : 'invalid');
    return next();
  };
}
