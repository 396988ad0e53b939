import { createClient as createSseClient } from 'graphql-sse';
import { Client, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { ConnectionTracker, reconnectDelay } from './connection.ts';
import { FeedGaps } from './feed-gaps.ts';
import { listenInBackground } from './background.ts';
import { LiveStream } from './live-stream.ts';
import { SessionEnded, SessionWatch } from './session-watch.ts';

export interface HatchClient {
  client: Client;
  connection: ConnectionTracker;
  gaps: FeedGaps;
  dispose(): void;
}

/**
 * The one urql client of the inbox.
 *
 * Subscriptions go through graphql-sse in single-connection mode (/graphql/stream): one event
 * stream per window however many subscriptions are open. Over HTTP/1.1 a browser allows six
 * connections per host across all tabs, and a stream per subscription would use them up with a
 * few tabs open. The server keeps that stream's state in its process, so several replicas would
 * need sticky sessions.
 *
 * There is no cache exchange, deliberately. The inbox is fed mostly by the live feed, and its
 * views need what a document or normalized cache does not give them: membership and order of the
 * conversation list, and messages appended to a thread, decided from subscription events. So each
 * entity lives once in a small store (features/…/…-store.ts) that queries, subscriptions and
 * mutation results all write to, with a rule for which copy is newer. Graphcache could hold the
 * entities, but list and thread membership would still need hand-written updaters against its
 * relay pagination, which is more code for the same result.
 */
export function createHatchClient(options: { origin?: string; onSessionEnded?: () => void } = {}): HatchClient {
  const origin = options.origin ?? window.location.origin;
  const connection = new ConnectionTracker();
  const session = new SessionWatch(options.onSessionEnded ?? (() => {}));
  const gaps = new FeedGaps();
  const stream = new LiveStream(
    (events) =>
      createSseClient({
        url: `${origin}/graphql/stream`,
        singleConnection: true,
        fetchFn: session.fetch,
        // One loop owns the stream and re-opens it. In lazy mode every subscription re-opens it on
        // its own; after a server restart that left a subscription waiting on a connection another
        // one had replaced, and it never came back (graphql-sse 2.6; web/e2e/reconnect.test.ts).
        lazy: false,
        onNonLazyError: (error) => {
          if (error instanceof SessionEnded) return;
          console.error('The live connection gave up', error);
          connection.failed();
        },
        // An inbox stays open for days: keep trying, unless the server refused the session (graphql-sse
        // retries every failed response, a 401 included; throwing here is what stops it). The
        // indicator tells the person meanwhile.
        retryAttempts: Infinity,
        retry: async (attempt) => {
          if (session.ended) throw new SessionEnded();
          connection.lost();
          events.lost();
          await new Promise((resolve) => setTimeout(resolve, reconnectDelay(attempt)));
        },
        on: {
          connecting: (reconnecting) => {
            if (!reconnecting) return;
            connection.lost();
            events.lost();
          },
          connected: (reconnected) => {
            connection.connected(reconnected);
            events.connected(reconnected);
          },
        },
      }),
    () => gaps.report(),
  );
  const stopPausing = listenInBackground(stream, connection);

  const client = new Client({
    url: `${origin}/graphql`,
    fetch: session.fetch,
    exchanges: [
      mapExchange({ onError: session.check }),
      fetchExchange,
      subscriptionExchange({
        // The feeds mark themselves resumable in their operation context (RESUMABLE).
        forwardSubscription: (request, operation) => ({
          subscribe: (sink) => ({
            unsubscribe: stream.subscribe({ ...request, query: request.query ?? '' }, sink, { resumable: operation.context.resumable === true, complete: operation.context.complete === true }),
          }),
        }),
      }),
    ],
  });

  return {
    client,
    connection,
    gaps,
    dispose: () => {
      stopPausing();
      stream.dispose();
    },
  };
}
