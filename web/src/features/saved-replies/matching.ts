/** The replies a `/query` finds, best first: names that start with it, then names that hold it, then texts that do. */
export function matchReplies<R extends { name: string; body: string }>(replies: readonly R[], query: string, limit = 8): R[] {
  const q = query.trim().toLowerCase();
  if (!q) return replies.slice(0, limit);
  const rank = (r: R) => {
    const name = r.name.toLowerCase();
    if (name.startsWith(q)) return 0;
    if (name.includes(q)) return 1;
    if (r.body.toLowerCase().includes(q)) return 2;
    return 3;
  };
  return replies
    .map((r, i) => ({ r, i, rank: rank(r) }))
    .filter((x) => x.rank < 3)
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .slice(0, limit)
    .map((x) => x.r);
}

/**
 * The `/query` being typed just before the caret: at the start of the box or after a space, with
 * no space in it. Null when there is none (a slash in "and/or" or a URL is not one).
 */
export function slashQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = /(?:^|\s)\/([^\s/]{0,60})$/.exec(before);
  if (!m) return null;
  return { start: caret - m[1]!.length - 1, query: m[1]! };
}

/** The text with the `/query` (from `start` to the caret) replaced by `insert`, and where the caret goes. */
export function insertReply(text: string, start: number, caret: number, insert: string): { text: string; caret: number } {
  return { text: text.slice(0, start) + insert + text.slice(caret), caret: start + insert.length };
}
