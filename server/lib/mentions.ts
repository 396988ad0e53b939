/**
 * The operators a note mentions: `@` then an operator's name, in any case, at the start or after a
 * character that is not a letter or digit, and not followed by one ("@Bob," mentions Bob; "@Bobby"
 * does not; "ana@bob.example" is an address, not a mention). Names may hold spaces ("@Ana Lima"):
 * the longest name that fits wins, so "@Ana Lima" mentions Ana Lima even when an "Ana" exists too.
 */
export function mentionedOperators<T extends { id: string; name: string }>(body: string, operators: readonly T[]): T[] {
  const byLength = operators.filter((o) => o.name.trim() !== '').sort((a, b) => b.name.length - a.name.length);
  const found = new Map<string, T>();
  const lower = body.toLowerCase();
  for (let at = lower.indexOf('@'); at !== -1; at = lower.indexOf('@', at + 1)) {
    if (at > 0 && WORD.test(body[at - 1]!)) continue;
    const rest = lower.slice(at + 1);
    const who = byLength.find((o) => {
      const name = o.name.toLowerCase();
      return rest.startsWith(name) && !WORD.test(rest.charAt(name.length));
    });
    if (who) found.set(who.id, who);
  }
  return [...found.values()];
}

const WORD = /[\p{L}\p{N}_]/u;
