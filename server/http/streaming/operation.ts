import { getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import { createGraphQLError, isAsyncIterable } from 'graphql-yoga';
import { maskError } from '../../schema/errors.ts';
import type { Logger } from 'pino';
import type { Principal } from '../access.ts';
import { graphqlError } from '../context.ts';
import { HATCH_TRANSPORT, type GraphQLServer } from '../graphql.ts';

/** What a GraphQL request asks for, by the GraphQL-over-HTTP names. */
export interface OperationParams {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

/** A request the transport can refuse before any GraphQL: 400 with a GraphQL-shaped body. */
export class BadRequest extends Error {}

/** The params of a POST body (JSON) or a GET's query string; BadRequest when they make no sense. */
export async function readParams(request: Request): Promise<OperationParams> {
  let raw: Record<string, unknown>;
  if (request.method === 'GET') {
    const search = new URL(request.url).searchParams;
    raw = {
      query: search.get('query'),
      operationName: search.get('operationName'),
      variables: parseJson(search.get('variables')),
      extensions: parseJson(search.get('extensions')),
    };
  } else {
    const body: unknown = await request.json().catch(() => {
      throw new BadRequest('The body is not JSON.');
    });
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('The body must be a JSON object.');
    raw = body as Record<string, unknown>;
  }
  const { query, variables, operationName, extensions } = raw;
  if (typeof query !== 'string' || query === '') throw new BadRequest('"query" must be a non-empty string.');
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) throw new BadRequest('"variables" must be an object.');
  if (operationName != null && typeof operationName !== 'string') throw new BadRequest('"operationName" must be a string.');
  if (extensions != null && (typeof extensions !== 'object' || Array.isArray(extensions))) throw new BadRequest('"extensions" must be an object.');
  return { query, variables: variables as OperationParams['variables'], operationName: operationName as string | null, extensions: extensions as OperationParams['extensions'] };
}

/** The params, or the 400 a request that is not GraphQL at all gets. */
export async function paramsOrRefusal(request: Request): Promise<OperationParams | Response> {
  try {
    return await readParams(request);
  } catch (err) {
    if (err instanceof BadRequest) return graphqlError(err.message, 'BAD_REQUEST', 400);
    throw err;
  }
}

function parseJson(text: string | null): unknown {
  if (text === null || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('A query-string parameter is not valid JSON.');
  }
}

export type Prepared =
  /** Done already: a query or mutation's result, or errors that stop the operation. */
  | { kind: 'result'; result: ExecutionResult; /** Parsed and valid, when it got that far. */ document?: DocumentNode }
  | {
      kind: 'subscription';
      document: DocumentNode;
      /**
       * Subscriptions with the same key would receive exactly the same results, so one execution
       * can serve them all; undefined when it must run alone (it replays from a cursor).
       */
      key: string | undefined;
      start(): Promise<ExecutionResult | AsyncIterable<ExecutionResult>>;
    };

/**
 * Parses, validates and (for queries and mutations) executes an operation through Yoga's own
 * pipeline (`getEnveloped`), so the same schema, plugins and limits apply as on /graphql. Every
 * streaming transport runs its operations through here: each is parsed once.
 */
export async function prepare(graphql: GraphQLServer, request: Request, principal: Principal, params: OperationParams, log: Logger): Promise<Prepared> {
  const enveloped = graphql.getEnveloped({ request, params, principal, [HATCH_TRANSPORT]: true } as never);
  let document: DocumentNode;
  try {
    document = enveloped.parse(params.query);
  } catch (err) {
    return failed(err, log);
  }
  let validationErrors: readonly GraphQLError[];
  try {
    // Limit rules may throw rather than report.
    validationErrors = enveloped.validate(enveloped.schema, document);
  } catch (err) {
    return failed(err, log);
  }
  if (validationErrors.length) return { kind: 'result', result: { errors: validationErrors } };
  const operation = getOperationAST(document, params.operationName ?? undefined);
  if (!operation) return failed(createGraphQLError('The document has no operation of that name, or several and no operationName.', { extensions: { code: 'BAD_REQUEST' } }), log);
  if (operation.operation === 'mutation' && request.method === 'GET') {
    return failed(createGraphQLError('Mutations are not performed over GET; use POST.', { extensions: { code: 'BAD_REQUEST' } }), log);
  }
  const contextValue = await enveloped.contextFactory();
  const args = {
    schema: enveloped.schema,
    document,
    contextValue,
    variableValues: params.variables ?? undefined,
    operationName: params.operationName ?? undefined,
  };
  if (operation.operation !== 'subscription') {
    try {
      const result = await enveloped.execute(args);
      return { kind: 'result', result: masked(result as ExecutionResult, log), document };
    } catch (err) {
      return failed(err, log);
    }
  }
  return {
    kind: 'subscription',
    document,
    key: resumes(operation, params.variables) ? undefined : shareKey(principal, params),
    async start() {
      try {
        const result = await enveloped.subscribe(args);
        return isAsyncIterable(result) ? (result as AsyncIterable<ExecutionResult>) : masked(result as ExecutionResult, log);
      } catch (err) {
        return masked({ errors: [err as GraphQLError] }, log);
      }
    },
  };
}

/**
 * Who may see the same results: one reader, an operator (in any of their windows) or a program's
 * token. Some fields are the viewer's own (read state), so two operators never share; a program
 * that opens a thousand streams with one token still runs each operation once.
 */
function shareKey(principal: Principal, params: OperationParams): string {
  return JSON.stringify([`${principal.kind}:${principal.id}`, params.query, params.operationName ?? null, params.variables ?? null]);
}

/** Whether any root field is given an `after` cursor: its replay is its own. */
function resumes(operation: OperationDefinitionNode, variables: OperationParams['variables']): boolean {
  return operation.selectionSet.selections.some(
    (s) =>
      s.kind === Kind.FIELD &&
      s.arguments?.some((a) => a.name.value === 'after' && (a.value.kind === Kind.VARIABLE ? variables?.[a.value.name.value] != null : a.value.kind !== Kind.NULL)),
  );
}

function failed(err: unknown, log: Logger): Prepared {
  return { kind: 'result', result: masked({ errors: [err as GraphQLError] }, log) };
}

/**
 * Errors a client caused keep their message and code; anything unexpected becomes "Unexpected
 * error." (logged with its stack here, never sent), as Yoga does on /graphql.
 */
export function masked(result: ExecutionResult, log: Logger): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    const safe = maskError(error, 'Unexpected error.', false);
    if (safe !== error) log.error({ err: error }, 'unexpected error in an operation');
    return safe as GraphQLError;
  });
  return { ...result, errors };
}
