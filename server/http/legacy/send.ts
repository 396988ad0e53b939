import type { Context } from 'hono';
import { z } from 'zod';
import { authorOf, canSend } from '../access.ts';
import { legacyStatus } from '../../modules/legacy/words.ts';
import type { MessagesService } from '../../modules/messages/messages.service.ts';
import type { HatchEnv } from '../context.ts';
import { legacyError, legacyJson } from './responses.ts';

const field = (name: string, what: string) =>
  z.string({ error: (issue) => (issue.input === undefined || issue.input === null ? `Missing required field: ${name}.` : `\`${name}\` must be ${what}.`) });

// What the old endpoint took, and what Hatch's sendMessage takes besides. Other keys (the old
// service's `conversation_id`, `content`, …) are ignored: the conversation is always the one of
// its two participants.
const SendBody = z.object({
  to: field('to', 'a string: a phone number such as +15551234567, or a name'),
  body: field('body', 'a string'),
  from: field('from', 'a string').nullish(),
  idempotency_key: field('idempotency_key', 'a string').nullish(),
});

/**
 * `POST /api/send_message` `{"to", "from", "body"}`: Hatch's `sendMessage` for the old clients,
 * with every rule of it (routing, validation, opt-out, countries, idempotency, rate limit) and the
 * old answer: `{"success": true, "message_id"}`, or `{"success": false, "error"}` with nothing written.
 */
export function legacySend(messages: MessagesService) {
  return async (c: Context<HatchEnv>): Promise<Response> => {
    const principal = c.get('principal')!;
    if (!canSend(principal)) {
      const who = principal.kind === 'token' ? `The token "${principal.name}" may only read` : 'This sign-in may not send';
      return legacyError(403, 'FORBIDDEN', `${who}; sending needs a token with the send scope.`);
    }
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      return legacyError(400, 'BAD_REQUEST', 'Send a JSON object: {"to": "...", "from": "...", "body": "..."}.');
    }
    const parsed = SendBody.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => (i.path.length ? i.message : 'Send a JSON object: {"to": "...", "from": "...", "body": "..."}.'));
      return legacyError(400, 'BAD_REQUEST', problems.join(' '));
    }
    const header = c.req.header('idempotency-key');
    const { to, body, from, idempotency_key: key } = parsed.data;
    if (header !== undefined && key != null && header !== key) {
      return legacyError(400, 'INVALID_IDEMPOTENCY_KEY', 'The Idempotency-Key header and `idempotency_key` differ; give one of them.');
    }

    const result = await messages.send({ to, body, from, idempotencyKey: key ?? header }, authorOf(principal));
    if (!result.message) {
      const errors = result.errors.map((e) => ({ field: e.field, code: e.code, message: e.message }));
      const error = errors.map((e) => e.message).join(' ');
      const wait = result.errors.find((e) => e.code === 'RATE_LIMITED')?.retryAfterSeconds;
      if (wait !== undefined) return legacyError(429, 'RATE_LIMITED', error, { errors, retry_after_seconds: wait }, { 'retry-after': String(wait) });
      return legacyError(400, errors[0]?.code ?? 'BAD_REQUEST', error, { errors });
    }
    const m = result.message;
    return legacyJson({
      success: true,
      message_id: m.id,
      conversation_id: m.conversationId,
      status: legacyStatus(m.status),
      // How the old service said where a message went.
      method: m.channel === 'SMS' ? 'twilio' : 'database',
    });
  };
}
