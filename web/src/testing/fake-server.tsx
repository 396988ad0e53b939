import type { ReactNode } from 'react';
import { Client, makeResult, Provider, type Exchange, type Operation } from 'urql';
import { filter, map, pipe } from 'wonka';
import { ConnectionTracker } from '../graphql/connection.ts';
import { createInbox, InboxContext, type Inbox } from '../inbox-context.ts';

/** What the test's "server" answers an operation: its data, or errors as the client would see them. */
export type FakeAnswer = { data: Record<string, unknown> } | { errors: { message: string }[] };

/**
 * A real urql client whose "server" is `answer`, and the inbox around it, so components run
 * against the real client code; every operation sent is recorded in `operations`.
 */
export function fakeServer(answer: (op: Operation) => FakeAnswer): { wrapper: (props: { children: ReactNode }) => ReactNode; inbox: Inbox; operations: Operation[] } {
  const operations: Operation[] = [];
  const exchange: Exchange = () => (ops$) =>
    pipe(
      ops$,
      filter((op) => op.kind !== 'teardown'),
      map((op) => {
        operations.push(op);
        return makeResult(op, answer(op));
      }),
    );
  const client = new Client({ url: 'http://test/graphql', exchanges: [exchange] });
  const inbox = createInbox(new ConnectionTracker());
  const wrapper = ({ children }: { children: ReactNode }) => (
    <Provider value={client}>
      <InboxContext.Provider value={inbox}>{children}</InboxContext.Provider>
    </Provider>
  );
  return { wrapper, inbox, operations };
}
