import type { MessageTemplate } from '../channel.ts';

/** Twilio's Content resources as the library reads them (`content.v1.contentAndApprovals.list`). */
export interface ContentWithApproval {
  sid: string;
  friendlyName: string;
  language: string;
  variables: Record<string, unknown> | null;
  types: Record<string, unknown> | null;
  approvalRequests: Record<string, unknown> | null;
}

const BLANK = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The blanks of a template's text, each once, in the order they first appear. */
export function blanksOf(body: string): string[] {
  return [...new Set([...body.matchAll(BLANK)].map((m) => m[1]!))];
}

/** A template's text with its blanks filled in (what the recipient reads, and what Hatch stores). */
export function fillTemplate(body: string, variables: Record<string, string>): string {
  return body.replace(BLANK, (whole, name: string) => variables[name] ?? whole);
}

/**
 * The templates WhatsApp may send: Content resources Meta approved for WhatsApp, with a text.
 * The approval is under `approval_requests` itself in the list, or under its `whatsapp` key in
 * other answers of the same API: either is read.
 */
export function approvedTemplates(contents: ContentWithApproval[]): MessageTemplate[] {
  return contents.flatMap((c) => {
    const approval = (c.approvalRequests ?? {}) as { status?: unknown; whatsapp?: { status?: unknown } };
    const status = approval.status ?? approval.whatsapp?.status;
    const body = textOf(c.types);
    if (status !== 'approved' || body === undefined) return [];
    const samples = (c.variables ?? {}) as Record<string, unknown>;
    const variables = blanksOf(body).map((name) => ({ name, example: typeof samples[name] === 'string' ? (samples[name] as string) : '' }));
    return [{ sid: c.sid, name: c.friendlyName, language: c.language, body, variables }];
  });
}

/** The text of a content resource: `twilio/text`, else the first of its types that has a body. */
function textOf(types: Record<string, unknown> | null): string | undefined {
  const all = Object.entries(types ?? {});
  const text = all.find(([type]) => type === 'twilio/text') ?? all.find(([, t]) => typeof (t as { body?: unknown })?.body === 'string');
  const body = (text?.[1] as { body?: unknown } | undefined)?.body;
  return typeof body === 'string' && body.length > 0 ? body : undefined;
}

/**
 * The simulator's account has these, approved, so templates can be tried without one. Their ids
 * are fixed, so a test or a program can name them.
 */
export const SIMULATOR_TEMPLATES: MessageTemplate[] = [
  {
    sid: 'HX00000000000000000000000000000001',
    name: 'appointment_reminder',
    language: 'en',
    body: 'Hello {{1}}, this is a reminder of your appointment on {{2}}. Reply to this message to confirm or change it.',
    variables: [
      { name: '1', example: 'Dana' },
      { name: '2', example: 'Friday at 10:00' },
    ],
  },
  {
    sid: 'HX00000000000000000000000000000002',
    name: 'follow_up',
    language: 'en',
    body: 'Hi {{1}}, we have an update about your request. Reply to this message to continue the conversation.',
    variables: [{ name: '1', example: 'Dana' }],
  },
];

/**
 * Keeps what `load` gives for `ttlMs`: templates change when someone edits them at Twilio, rarely,
 * and every composer outside the window asks. Callers at once share one request; a failure is not
 * kept, so the next caller tries again.
 */
export function cachedFor<T>(ttlMs: number, load: () => Promise<T>, now: () => number = Date.now): () => Promise<T> {
  let kept: { value: T; at: number } | undefined;
  let loading: Promise<T> | undefined;
  return () => {
    if (kept && now() - kept.at < ttlMs) return Promise.resolve(kept.value);
    loading ??= load()
      .then((value) => {
        kept = { value, at: now() };
        return value;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
}
