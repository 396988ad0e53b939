import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { PothosValidationError } from '@pothos/core';
import { CodedError, type UserErrorShape } from '../lib/errors.ts';
import { builder } from './builder.ts';

// The GraphQL side of server/lib/errors.ts: the schema's UserError type, and the rule that turns a
// service's CodedError into a GraphQL error with its code while anything else is masked.

export const UserError = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'A problem with the input that the user can fix. `code` is stable; `message` is for people.',
  fields: (t) => ({
    field: t.exposeString('field', { nullable: true, description: 'The input field at fault, when there is one.' }),
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    retryAfterSeconds: t.int({
      nullable: true,
      description: 'For RATE_LIMITED: seconds until the same request would be accepted.',
      resolve: (e) => e.retryAfterSeconds ?? null,
    }),
    availableAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: "For QUIET_HOURS: when quiet hours end for the recipient, and the message may go (send it then with `sendAt`, or now with `deferIfQuiet`).",
      resolve: (e) => e.availableAt ?? null,
    }),
  }),
});

/**
 * What a client sees of an error: a CodedError (thrown by a service, wrapped by GraphQL with its
 * path) keeps its message and gets its code; GraphQL's own errors stay as they are; anything else
 * becomes "Unexpected error." (Yoga's rule). Used by Yoga and by every streaming transport.
 */
export function maskError(error: unknown, message: string, isDev = false): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  // Pothos reports a bad connection argument (a cursor that is not one, a negative `first`,
  // `first` with `before`) as a validation error: the client's input, BAD_USER_INPUT.
  const code = original instanceof CodedError ? original.code : original instanceof PothosValidationError ? 'BAD_USER_INPUT' : undefined;
  if (code && original instanceof Error) {
    const located = error instanceof GraphQLError ? error : undefined;
    return new GraphQLError(original.message, {
      nodes: located?.nodes,
      source: located?.source,
      positions: located?.positions,
      path: located?.path,
      extensions: { code },
    });
  }
  return yogaMaskError(error, message, isDev);
}
