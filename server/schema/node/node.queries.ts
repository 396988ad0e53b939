import { builder, type Context } from '../builder.ts';
import { badUserInput, isUuid } from '../../lib/errors.ts';
import { Node } from './node.ts';

const MAX_IDS = 100;

/** Conversations, messages and notes with these ids, in three indexed reads whatever the count. */
async function load(ctx: Context, ids: string[]): Promise<Map<string, { id: string }>> {
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return new Map<string, { id: string }>();
  const [conversations, messages, notes] = await Promise.all([
    ctx.prisma.conversation.findMany({ where: { id: { in: wanted } } }),
    ctx.prisma.message.findMany({ where: { id: { in: wanted } } }),
    ctx.prisma.note.findMany({ where: { id: { in: wanted } } }),
  ]);
  return new Map<string, { id: string }>([...conversations, ...messages, ...notes].map((row) => [row.id, row]));
}

builder.queryFields((t) => ({
  node: t.field({
    type: Node,
    nullable: true,
    description: 'The conversation, message or note with this id; null when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => (await load(ctx, [String(id)])).get(String(id).toLowerCase()) ?? null,
  }),
  nodes: t.field({
    type: [Node],
    nullable: { list: false, items: true },
    description: `The objects with these ids, in the same order; null for each that is not found. At most ${MAX_IDS} ids.`,
    args: { ids: t.arg.idList({ required: true }) },
    resolve: async (_root, { ids }, ctx) => {
      if (ids.length > MAX_IDS) throw badUserInput(`nodes takes at most ${MAX_IDS} ids.`);
      const found = await load(ctx, ids.map(String));
      return ids.map((id) => found.get(String(id).toLowerCase()) ?? null);
    },
  }),
}));
