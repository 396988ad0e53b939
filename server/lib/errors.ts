// Outcomes a caller can cause, as plain values and errors: no GraphQL here. Services return
// UserErrorShape values or throw CodedError; server/schema/errors.ts turns them into the schema's
// `UserError` type and into GraphQL errors with `extensions.code`, and the transports do the same
// for their own framing. The codes are a stable contract: clients branch on them.

/** Codes of problems in the input that the user can fix, returned in `errors: [UserError!]!`. */
export type UserErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_SEND_AT'
  | 'QUIET_HOURS'
  | 'OUTSIDE_SESSION_WINDOW'
  | 'INVALID_TEMPLATE'
  | 'CHANNEL_UNAVAILABLE'
  | 'ALREADY_SENT'
  | 'INVALID_PHONE_NUMBER'
  | 'INVALID_RECIPIENT'
  | 'INVALID_ADDRESS'
  | 'INVALID_CHARACTERS'
  | 'EMPTY_BODY'
  | 'BODY_TOO_LONG'
  | 'INVALID_SENDER'
  | 'INVALID_IDEMPOTENCY_KEY'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'OPTED_OUT'
  | 'DESTINATION_NOT_ALLOWED'
  | 'RATE_LIMITED'
  | 'NOT_FOUND'
  | 'INVALID_ID'
  | 'INVALID_NAME'
  | 'NAME_TAKEN'
  | 'NOTES_TOO_LONG'
  | 'INVALID_EMAIL'
  | 'EMAIL_TAKEN'
  | 'WEAK_PASSWORD'
  | 'INVALID_CREDENTIALS'
  | 'SETUP_LINK_INVALID'
  | 'INVALID_ASSIGNEE'
  | 'UNKNOWN_VARIABLE'
  | 'TOO_MANY_SAVED_REPLIES'
  | 'INVALID_SNOOZE'
  | 'LAST_ADMIN'
  | 'CANNOT_DISABLE_SELF'
  | 'INVITATION_INVALID'
  | 'INVITATION_EMAIL_MISMATCH'
  | 'ACCOUNT_DISABLED'
  | 'AMBIGUOUS_RECIPIENT'
  | 'INVALID_CSV'
  | 'ALREADY_ONE_CONTACT'
  | 'UNDO_NOT_AVAILABLE'
  | 'CONTACT_CHANGED'
  | 'INVALID_URL'
  | 'INVALID_EVENTS'
  | 'INVALID_DESCRIPTION'
  | 'TOO_MANY_WEBHOOKS'
  | 'INVALID_CURSOR';

/** Codes of errors that stop an operation (GraphQL `errors[].extensions.code`). */
export type OperationErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CURSOR_EXPIRED' | 'BODY_TOO_LONG' | 'CHANNEL_UNAVAILABLE';

/** A problem with the input that the user can fix: a value in the schema, not a thrown error. */
export interface UserErrorShape {
  field: string | null;
  code: UserErrorCode;
  message: string;
  /** For RATE_LIMITED: seconds until the same request would be accepted. */
  retryAfterSeconds?: number;
  /** For QUIET_HOURS: when the message may go. */
  availableAt?: Date;
}

export const userError = (field: string | null, code: UserErrorCode, message: string): UserErrorShape => ({ field, code, message });

/**
 * An error that ends an operation, with a code the client can branch on. Thrown by services;
 * every transport shows it with its message and code (never as "Unexpected error").
 */
export class CodedError extends Error {
  constructor(
    readonly code: OperationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

export const badUserInput = (message: string): CodedError => new CodedError('BAD_USER_INPUT', message);

export const notFound = (what: string, id: string): CodedError => new CodedError('NOT_FOUND', `No ${what} with id "${id}"`);

/** A resume from a position retention has already pruned: the client must read the current state again. */
export const cursorExpired = (): CodedError =>
  new CodedError('CURSOR_EXPIRED', 'Changes after this cursor are no longer kept: read the current state again, then subscribe without `after`.');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (id: string): boolean => UUID.test(id);

/** Rejects an id that cannot be a Hatch id with a clear error instead of a database cast error. */
export function assertUuid(id: string, what: string): string {
  if (!isUuid(id)) throw badUserInput(`"${id}" is not a valid ${what} id`);
  return id.toLowerCase();
}
