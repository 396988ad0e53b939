import { useCallback } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { SendError, SendTarget } from '../composer/use-send.ts';

const ScheduleMessageMutation = graphql(/* GraphQL */ `
  mutation ScheduleMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      scheduled {
        id
        sendAt
      }
      errors {
        field
        code
        message
        availableAt
      }
    }
  }
`);

export type ScheduleOutcome = { kind: 'scheduled'; sendAt: string } | { kind: 'rejected'; errors: readonly SendError[] } | { kind: 'unreachable' };

/**
 * Schedules a message: at `sendAt`, or (`sendAt` null, `deferIfQuiet`) when the recipient's quiet
 * hours end. One idempotency key per message, so a retried request schedules it once.
 */
export function useSchedule() {
  const client = useClient();
  return useCallback(
    async (target: SendTarget, body: string, when: { sendAt: Date } | { deferIfQuiet: true }, key: string): Promise<ScheduleOutcome> => {
      const where =
        'conversationId' in target
          ? { conversationId: target.conversationId, ...(target.from ? { from: target.from } : {}) }
          : { to: target.to, ...(target.channel ? { channel: target.channel } : {}) };
      const input = { ...where, body, idempotencyKey: key, ...('sendAt' in when ? { sendAt: when.sendAt.toISOString() } : { deferIfQuiet: true }) };
      const result = await client.mutation(ScheduleMessageMutation, { input }).toPromise();
      const payload = result.data?.sendMessage;
      if (!payload) return { kind: 'unreachable' };
      if (payload.scheduled) return { kind: 'scheduled', sendAt: payload.scheduled.sendAt as string };
      return { kind: 'rejected', errors: payload.errors };
    },
    [client],
  );
}
