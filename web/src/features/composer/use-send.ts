import { useCallback } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { useInbox } from '../../inbox-context.ts';
import { randomId } from '../../lib/ids.ts';
import type { MessageNode } from '../messages/message-store.ts';
import type { SendChannel } from '../../gql/graphql.ts';
import type { PendingSend, PendingTemplate } from '../messages/pending-store.ts';

const SendMessageMutation = graphql(/* GraphQL */ `
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      message {
        ...MessageBubble
      }
      errors {
        field
        code
        message
        retryAfterSeconds
        availableAt
      }
    }
  }
`);

export interface SendError {
  field: string | null;
  code: string;
  message: string;
  retryAfterSeconds?: number | null;
  /** QUIET_HOURS: when the message may go. */
  availableAt?: string | null;
}

export type SendOutcome = { kind: 'sent'; message: MessageNode } | { kind: 'rejected'; errors: readonly SendError[] } | { kind: 'unreachable' };

/**
 * A new conversation is addressed by recipient, on the channel chosen for a phone number (none: as
 * typed); a reply by its conversation, so it lands in that one.
 */
export type SendTarget = { to: string; channel?: SendChannel } | { conversationId: string; to: string; from?: string };

function input(p: PendingSend) {
  // A template is its own text: the server fills it in; the body is only what the page shows meanwhile.
  const content = p.template ? { contentSid: p.template.sid, contentVariables: p.template.variables } : { body: p.body };
  if (!p.conversationId) return { to: p.to, ...content, idempotencyKey: p.key, ...(p.channel ? { channel: p.channel } : {}) };
  return { conversationId: p.conversationId, ...content, idempotencyKey: p.key, ...(p.from ? { from: p.from } : {}) };
}

/**
 * Sends with an optimistic message. The idempotency key is made once per message and reused by
 * every retry, so a send whose answer was lost cannot go out twice.
 */
export function useSend() {
  const client = useClient();
  const { messages, pending } = useInbox();

  const run = useCallback(
    /** `typed`: sent from the composer, which takes the text back if it is refused; a retry keeps it here instead. */
    async (p: PendingSend, typed: boolean): Promise<SendOutcome> => {
      const result = await client.mutation(SendMessageMutation, { input: input(p) }).toPromise();
      const payload = result.data?.sendMessage;
      if (!payload) {
        pending.update(p.key, { state: 'failed' });
        return { kind: 'unreachable' };
      }
      if (!payload.message || payload.errors.length > 0) {
        if (typed) pending.remove(p.key);
        else pending.update(p.key, { state: 'failed', error: payload.errors.map((e) => e.message).join(' ') || 'Refused.' });
        return { kind: 'rejected', errors: payload.errors };
      }
      // The real message goes in before the optimistic one goes out: no gap in the thread.
      messages.upsert(payload.message.conversationId, [{ node: payload.message }]);
      pending.remove(p.key);
      return { kind: 'sent', message: payload.message };
    },
    [client, messages, pending],
  );

  /** Sends `body`; with `template`, that WhatsApp template instead, `body` being its text filled in. */
  const send = useCallback(
    (target: SendTarget, body: string, template?: PendingTemplate) => {
      const p: PendingSend = { key: randomId(), ...target, body, ...(template ? { template } : {}), startedAt: Date.now(), state: 'sending' };
      pending.add(p);
      return run(p, true);
    },
    [pending, run],
  );

  /** Sends an unsent message again with its own key: if the first try did reach the server, this one returns that message. */
  const retry = useCallback(
    (key: string) => {
      const p = pending.get().find((x) => x.key === key);
      if (!p || p.state === 'sending') return;
      pending.update(key, { state: 'sending', error: undefined });
      void run({ ...p, state: 'sending' }, false);
    },
    [pending, run],
  );

  /** Every message still waiting for the server, when the connection is back (or the page is new). */
  const retryAll = useCallback(async () => {
    // One the server refused would only be refused again: that waits for the person. The rest go
    // in the order they were written, one after another (sent at once, they would reach the server
    // in any order); if the server is gone again, the rest wait for the next time.
    const waiting = pending
      .get()
      .filter((p) => p.state === 'failed' && !p.error)
      .sort((a, b) => a.startedAt - b.startedAt);
    for (const p of waiting) pending.update(p.key, { state: 'sending', error: undefined });
    for (const [i, p] of waiting.entries()) {
      const outcome = await run({ ...p, state: 'sending' }, false);
      if (outcome.kind !== 'unreachable') continue;
      for (const rest of waiting.slice(i + 1)) pending.update(rest.key, { state: 'failed' });
      return;
    }
  }, [pending, run]);

  /**
   * A failed SMS sent again: a new message with a new key (the failed one stays, with its reason),
   * from the same side of the same conversation.
   */
  const resend = useCallback((m: MessageNode) => send({ conversationId: m.conversationId, to: m.to, from: m.from }, m.body), [send]);

  return { send, retry, retryAll, resend };
}
