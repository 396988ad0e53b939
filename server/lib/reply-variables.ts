/**
 * The variables a saved reply may hold, written `{{contact.name}}`, with an optional fallback for
 * when there is no value: `{{contact.first_name | there}}`. Hand-written: a template engine
 * (Handlebars, Mustache) would bring loops, partials and HTML escaping that an SMS must not have,
 * and could not say which names are unknown when a reply is saved.
 */
export const REPLY_VARIABLES = {
  'contact.name': "The contact's name, as the team wrote it.",
  'contact.first_name': "The first word of the contact's name.",
  'contact.phone': "The contact's number as people write it (+1 555-123-4567).",
  'operator.name': 'The name of the operator sending it.',
  'operator.first_name': "The first word of the operator's name.",
} as const;

export type ReplyVariable = keyof typeof REPLY_VARIABLES;
export type ReplyValues = Partial<Record<ReplyVariable, string | null>>;

const PLACEHOLDER = /\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g;

const known = (name: string): name is ReplyVariable => Object.hasOwn(REPLY_VARIABLES, name);

/** The names in a body that are not variables, each once, in order. */
export function unknownVariables(body: string): string[] {
  const names = [...body.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((n) => !known(n));
  return [...new Set(names)];
}

/**
 * The body with each variable filled in: its value, else its fallback; with neither, the
 * placeholder stays as written, so the operator sees what is missing before sending.
 */
export function fillReply(body: string, values: ReplyValues): string {
  return body.replace(PLACEHOLDER, (whole, name: string, fallback: string | undefined) => {
    const value = known(name) ? values[name]?.trim() : undefined;
    if (value) return value;
    return fallback !== undefined ? fallback : whole;
  });
}

/** The first word of a name (its given name, for most). */
export const firstWord = (name: string | null | undefined): string | null => name?.trim().split(/\s+/)[0] || null;
