import { getOperationAST, parse } from 'graphql';

export type Transport = 'sse' | 'multipart' | 'json';

interface Range {
  type: string;
  params: string[];
  q: number;
}

function ranges(accept: string | undefined): Range[] {
  return (accept ?? '*/*')
    .split(',')
    .map((range) => {
      const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
      const q = Number(/^q\s*=\s*([\d.]+)$/.exec(params.find((p) => p.startsWith('q')) ?? '')?.[1] ?? 1);
      return { type, params, q: Number.isFinite(q) ? q : 1 };
    })
    .filter((r) => r.type && r.q > 0)
    .sort((a, b) => b.q - a.q);
}

const kindOf = (r: Range): Transport | undefined => {
  if (r.type === 'text/event-stream') return 'sse';
  if (r.type === 'multipart/mixed' && r.params.some((p) => /^subscriptionspec\s*=/.test(p))) return 'multipart';
  if (['application/json', 'application/graphql-response+json', 'application/*', '*/*'].includes(r.type)) return 'json';
  return undefined;
};

/**
 * Which transport answers a request on /graphql, from its Accept header: the first of the types
 * Hatch serves, by the client's preference. A client that prefers JSON but also accepts a stream
 * (urql's default Accept lists `text/event-stream` and `multipart/mixed` after JSON) gets JSON for
 * queries and mutations, and the stream for a subscription, which only a stream can carry; only
 * then is the body read to see which it is.
 */
export async function chooseTransport(request: Request): Promise<Transport> {
  const served = ranges(request.headers.get('accept') ?? undefined)
    .map(kindOf)
    .filter((k): k is Transport => k !== undefined);
  const [first] = served;
  if (first !== 'json') return first ?? 'json';
  const stream = served.find((k) => k !== 'json');
  if (!stream) return 'json';
  return (await isSubscription(request)) ? stream : 'json';
}

async function isSubscription(request: Request): Promise<boolean> {
  try {
    const params: { query?: unknown; operationName?: unknown } =
      request.method === 'GET' ? Object.fromEntries(new URL(request.url).searchParams) : await request.clone().json();
    if (typeof params.query !== 'string') return false;
    const name = typeof params.operationName === 'string' ? params.operationName : undefined;
    return getOperationAST(parse(params.query, { noLocation: true }), name)?.operation === 'subscription';
  } catch {
    // Not GraphQL at all: the JSON path explains what is wrong.
    return false;
  }
}
