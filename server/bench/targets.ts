// What the subscriber runs subscribe to, and how each server is sent a message.
import type { Target } from './fan-out.ts';
import type { Server } from './processes.ts';

export const SUBSCRIPTION = 'subscription { messageUpdated { messageId action message { body } } }';

export function hatchTarget(server: Server, mode: Target['mode'], token: string): Target {
  const headers = { authorization: `Bearer ${token}` };
  return {
    name: 'hatch',
    server,
    mode,
    headers,
    query: SUBSCRIPTION,
    async send(body) {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }', variables: { input: { to: 'Bench', body } } }),
      });
      const json = (await res.json()) as { errors?: unknown };
      if (!res.ok || json.errors) throw new Error(JSON.stringify(json));
    },
  };
}

export function referenceTarget(server: Server, mode: Extract<Target['mode'], 'distinct' | 'ws'> = 'distinct'): Target {
  return {
    name: 'reference',
    server,
    mode,
    headers: {},
    query: SUBSCRIPTION,
    async send(body) {
      const res = await fetch(`${server.url}/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body }) });
      if (!res.ok) throw new Error(`reference /send: ${res.status}`);
      await res.arrayBuffer();
    },
  };
}
