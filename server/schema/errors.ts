import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { builder } from './builder.ts';

/** A problem with the input that the user can fix: a value in the schema, not a thrown error. */
export interface UserErrorShape {
  field: string | null;
  code: string;
  message: string;
  /** For RATE_LIMITED: seconds until the same request would be accepted. */
  retryAfterSeconds?: number;
}

export const userError = (field: string | null, code: string, message: string): UserErrorShape => ({ field, code, message });

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
  }),
});

export function badUserInput(message: string): GraphQLError {
  return createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

export function notFound(what: string, id: string): GraphQLError {
  return createGraphQLError(`No ${what} with id "${id}"`, { extensions: { code: 'NOT_FOUND' } });
}
