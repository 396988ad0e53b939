// A WhatsApp template's text with its blanks ({{1}}, {{2}}, …) filled in: what the preview shows
// and what the customer will read. The server fills it in the same way and is the judge of it.

/** A blank as a template writes it: {{1}}, {{ 2 }}, {{first_name}}. */
const BLANK = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** A value as it will be sent: the server trims it, so the preview does too. */
const valueOf = (values: Readonly<Record<string, string>>, name: string) => values[name]?.trim() ?? '';

/** The blanks of a template's text, each once, in the order they first appear. */
export function blanksOf(body: string): string[] {
  return [...new Set([...body.matchAll(BLANK)].map((m) => m[1]!))];
}

export type PreviewPart = { kind: 'text'; text: string } | { kind: 'blank'; name: string; value: string };

/** The text in pieces, so the preview can mark the blanks: each with its value ('' while empty). */
export function previewParts(body: string, values: Readonly<Record<string, string>>): PreviewPart[] {
  const parts: PreviewPart[] = [];
  let at = 0;
  for (const m of body.matchAll(BLANK)) {
    if (m.index > at) parts.push({ kind: 'text', text: body.slice(at, m.index) });
    parts.push({ kind: 'blank', name: m[1]!, value: valueOf(values, m[1]!) });
    at = m.index + m[0].length;
  }
  if (at < body.length) parts.push({ kind: 'text', text: body.slice(at) });
  return parts;
}

/** The text with the values given; a blank still empty stays as the template writes it. */
export function fillTemplate(body: string, values: Readonly<Record<string, string>>): string {
  return body.replace(BLANK, (whole, name: string) => valueOf(values, name) || whole);
}

/** The blanks nothing (or only spaces) has been written in yet: the server would refuse them. */
export function emptyBlanks(body: string, values: Readonly<Record<string, string>>): string[] {
  return blanksOf(body).filter((name) => valueOf(values, name) === '');
}

/** `sendMessage(input: { contentVariables })`: every blank of the template, with its value. */
export function contentVariables(body: string, values: Readonly<Record<string, string>>): { name: string; value: string }[] {
  return blanksOf(body).map((name) => ({ name, value: valueOf(values, name) }));
}

/** What a blank's field is called: "Blank 1" for {{1}}, "Blank first_name" for {{first_name}}. */
export const blankLabel = (name: string): string => `Blank ${name.replace(/_/g, ' ')}`;
