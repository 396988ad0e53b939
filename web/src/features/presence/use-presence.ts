import { useCallback, useEffect, useRef } from 'react';
import { useMutation, useSubscription } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { WHOLE_STATE } from '../../graphql/resume-point.ts';
import type { PresenceReport, PresenceSubscription } from '../../gql/graphql.ts';
import { usePageVisible } from '../../lib/use-page-visible.ts';
import { useInbox } from '../../inbox-context.ts';
import { useObservable } from '../../lib/store.ts';
import { useMe } from '../conversations/assignee.ts';

const PresenceSubscription = graphql(/* GraphQL */ `
  subscription Presence($conversationId: ID!) {
    presence(conversationId: $conversationId) {
      conversationId
      viewers {
        operatorId
        name
        state
      }
    }
  }
`);

const ReportPresenceMutation = graphql(/* GraphQL */ `
  mutation ReportPresence($conversationId: ID!, $state: PresenceReport!) {
    reportPresence(conversationId: $conversationId, state: $state) {
      errors {
        code
      }
    }
  }
`);

/** The server forgets a viewer 25 s after their last report; this leaves room for a slow request. */
const HEARTBEAT_MS = 10_000;
/** "Typing…" lasts 6 s on the server: one report per 3 s of typing keeps it on without gaps. */
const TYPING_EVERY_MS = 3_000;

export interface Colleague {
  operatorId: string;
  name: string;
  state: 'VIEWING' | 'TYPING';
}

/**
 * Colleagues in this conversation now (never oneself). Empty with sign-in off (there is no team),
 * and while the stream is down: what it said before a break may no longer be true, so nothing is
 * shown until the first state after it arrives.
 */
export function useColleaguesHere(conversationId: string): Colleague[] {
  const me = useMe();
  const { state, reconnects } = useObservable(useInbox().connection);
  const epoch = useRef(reconnects);
  epoch.current = reconnects;
  const [{ data }] = useSubscription(
    { query: PresenceSubscription, variables: { conversationId }, pause: me === null, context: WHOLE_STATE },
    (_previous: Heard | undefined, event: PresenceSubscription): Heard => ({ event, epoch: epoch.current }),
  );
  if (me === null || state !== 'live' || data?.epoch !== reconnects || data.event.presence.conversationId !== conversationId) return [];
  return data.event.presence.viewers.filter((v) => v.operatorId !== me);
}

interface Heard {
  event: PresenceSubscription;
  /** The connection's reconnect count when it arrived: a state from before a break is stale. */
  epoch: number;
}

/**
 * Tells colleagues that this operator has the conversation open (while the tab is visible) and
 * when they type; returns the function the composer calls on each keystroke. A hidden tab counts as
 * gone: nobody is looking at it.
 */
export function useReportPresence(conversationId: string): () => void {
  const me = useMe();
  const visible = usePageVisible();
  const [, report] = useMutation(ReportPresenceMutation);
  const lastTyping = useRef(0);
  const active = me !== null && visible;

  const say = useCallback(
    (state: PresenceReport) => {
      // Presence is a courtesy: a lost or refused report is not worth telling the person about.
      void report({ conversationId, state }, { requestPolicy: 'network-only' });
    },
    [conversationId, report],
  );

  useEffect(() => {
    if (!active) return;
    say('VIEWING');
    const beat = setInterval(() => say('VIEWING'), HEARTBEAT_MS);
    return () => {
      clearInterval(beat);
      lastTyping.current = 0;
      say('LEFT');
    };
  }, [active, say]);

  // After a break (a server restart forgets everyone), say so again at once rather than at the next beat.
  const { reconnects } = useObservable(useInbox().connection);
  const seenReconnects = useRef(reconnects);
  useEffect(() => {
    if (reconnects === seenReconnects.current) return;
    seenReconnects.current = reconnects;
    if (active) say('VIEWING');
  }, [reconnects, active, say]);

  return useCallback(() => {
    if (!active) return;
    const now = Date.now();
    if (now - lastTyping.current < TYPING_EVERY_MS) return;
    lastTyping.current = now;
    say('TYPING');
  }, [active, say]);
}
