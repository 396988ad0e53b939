import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { Page, Request } from 'playwright-core';

export interface Operation {
  type: 'query' | 'mutation' | 'subscription';
  name: string;
  variables: Record<string, unknown>;
}

/** What a page asks of the API from the moment it is watched. */
export interface GraphqlTraffic {
  /** Queries and mutations, sent to /graphql (urql sends short queries as GET, longer ones as POST). */
  http: Operation[];
  /** Subscriptions sent on the single-connection event stream (POST /graphql/stream). */
  stream: Operation[];
  /** The names of the queries: what a view reloading its data would send. */
  queries(): string[];
  stop(): void;
}

function operationOf(query: string, variables: unknown): Operation | undefined {
  const definition = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!definition) return undefined;
  return { type: definition.operation, name: definition.name?.value ?? '', variables: (variables ?? {}) as Record<string, unknown> };
}

function read(request: Request): { path: string; operation: Operation | undefined } {
  const url = new URL(request.url());
  if (request.method() === 'GET') {
    const query = url.searchParams.get('query');
    const variables = url.searchParams.get('variables');
    return { path: url.pathname, operation: query ? operationOf(query, variables ? JSON.parse(variables) : {}) : undefined };
  }
  const body = request.method() === 'POST' ? (request.postDataJSON() as { query?: string; variables?: unknown } | null) : null;
  return { path: url.pathname, operation: body?.query ? operationOf(body.query, body.variables) : undefined };
}

/** Records every GraphQL operation the page sends, until stopped. */
export function watchGraphql(page: Page): GraphqlTraffic {
  const http: Operation[] = [];
  const stream: Operation[] = [];
  const onRequest = (request: Request) => {
    const { path, operation } = read(request);
    if (!operation) return;
    if (path === '/graphql') http.push(operation);
    else if (path === '/graphql/stream') stream.push(operation);
  };
  page.on('request', onRequest);
  return {
    http,
    stream,
    queries: () => http.filter((o) => o.type === 'query').map((o) => o.name),
    stop: () => void page.off('request', onRequest),
  };
}
