import { builder } from '../builder.ts';

/**
 * Relay's Global Object Identification with Hatch's ids as they are: UUIDs, unique across
 * conversations and messages, and a conversation's id stays the one the service Hatch replaces
 * computed. So a Node's `id` is its UUID, and `node(id)` finds the object whichever type it is.
 */
export const Node = builder.interfaceRef<{ id: string }>('Node').implement({
  description: 'An object that can be fetched again by its `id` alone (Relay Global Object Identification).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique across every type; the same id Hatch has always used.' }),
  }),
  // Rows of the three models: notes have an author's name, messages a conversation.
  resolveType: (value) => ('authorName' in value ? 'Note' : 'conversationId' in value ? 'Message' : 'Conversation'),
});
