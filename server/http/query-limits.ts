import { getNamedType, GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../schema/pages.ts';

/** Nodes one operation may touch, counted like GitHub's node limit. */
export const MAX_QUERY_NODES = 10_000;

/**
 * A connection (`…Connection` with `first`/`last`) returns up to that many nodes for every node of
 * its parent: `conversations(first: 50) { …messages(first: 100) }` is 50 + 50 × 100 = 5,050.
 * Other fields cost nothing of their own.
 */
const nodeEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!getNamedType(field.type).name.endsWith('Connection')) return childComplexity;
  const asked = Number(args.first ?? args.last ?? DEFAULT_PAGE_SIZE);
  const page = Math.min(Math.max(Number.isFinite(asked) ? asked : DEFAULT_PAGE_SIZE, 0), MAX_PAGE_SIZE);
  return page + page * childComplexity;
};

/**
 * The nodes an operation would touch; undefined when its variables do not fit it (execution then
 * reports that, as the request error it is).
 */
export function queryNodes(schema: GraphQLSchema, document: DocumentNode, variables?: Record<string, unknown>, operationName?: string): number | undefined {
  try {
    return getComplexity({ schema, query: document, variables: variables ?? {}, operationName, estimators: [nodeEstimator] });
  } catch {
    return undefined;
  }
}

/**
 * queryNodes, remembered per parsed document (Yoga keeps one per query text) and variables: the
 * walk over the document was a tenth of the CPU of the inbox's first page. Large variables (a
 * message's body) are not kept, nor more than a few sets per document.
 */
const costs = new WeakMap<DocumentNode, Map<string, number | undefined>>();
const MAX_KEY_CHARS = 512;
const MAX_KEYS_PER_DOCUMENT = 32;

function knownQueryNodes(schema: GraphQLSchema, document: DocumentNode, variables?: Record<string, unknown>, operationName?: string): number | undefined {
  const key = `${operationName ?? ''}\u0000${variables ? JSON.stringify(variables) : ''}`;
  if (key.length > MAX_KEY_CHARS) return queryNodes(schema, document, variables, operationName);
  let byKey = costs.get(document);
  if (!byKey) costs.set(document, (byKey = new Map()));
  if (byKey.has(key)) return byKey.get(key);
  const nodes = queryNodes(schema, document, variables, operationName);
  if (byKey.size >= MAX_KEYS_PER_DOCUMENT) byKey.clear();
  byKey.set(key, nodes);
  return nodes;
}

// graphql-armor reports its limits as "Syntax Error: … limit of N exceeded"; a client needs a code.
const ARMOR_CODES: [RegExp, string][] = [
  [/Token limit of/i, 'TOO_MANY_TOKENS'],
  [/Query depth limit of/i, 'QUERY_TOO_DEEP'],
  [/Aliases limit of/i, 'TOO_MANY_ALIASES'],
  [/Directives limit of/i, 'TOO_MANY_DIRECTIVES'],
];

/** The error with a stable code; a document that fails to parse or validate is the client's: HTTP 400. */
function coded(error: GraphQLError, fallback: string): GraphQLError {
  if (error.extensions?.code) return error;
  const armor = ARMOR_CODES.find(([pattern]) => pattern.test(error.message));
  const message = armor ? error.message.replace(/^Syntax Error:\s*/, '') : error.message;
  return createGraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { http: { status: 400 }, ...error.extensions, code: armor?.[1] ?? fallback },
  });
}

/**
 * Every limit error carries a stable `extensions.code` (and no misleading "Syntax Error:"), real
 * syntax and validation errors carry GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED, operations
 * touching more than MAX_QUERY_NODES nodes are QUERY_TOO_COMPLEX before anything runs, and each
 * query's response says what it cost (`extensions.cost`), so a consumer sees the limit coming.
 */
export function useQueryLimits(maxNodes = MAX_QUERY_NODES): Plugin {
  // What the operations of one HTTP request have cost so far: a batch's operations share its
  // Request, and count together against the limit.
  const spent = new WeakMap<object, number>();
  const tooComplex = (nodes: number, batch = false) =>
    createGraphQLError(
      batch
        ? `This request's operations would touch ${nodes} nodes together; the limit is ${maxNodes}. Send fewer or smaller operations.`
        : `This operation would touch ${nodes} nodes; the limit is ${maxNodes}. Ask for smaller pages (first/last).`,
      // A request the client must change, like the other limits: 400.
      { extensions: { code: 'QUERY_TOO_COMPLEX', cost: { nodes, limit: maxNodes }, http: { status: 400 } } },
    );
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, options);
        } catch (err) {
          throw err instanceof GraphQLError ? coded(err, 'GRAPHQL_PARSE_FAILED') : err;
        }
      });
    },
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((schema, document, rules, typeInfo, options) => {
        try {
          return validateFn(schema, document, rules, typeInfo, options).map((e: GraphQLError) => coded(e, 'GRAPHQL_VALIDATION_FAILED'));
        } catch (err) {
          // Limit rules throw rather than report.
          if (err instanceof GraphQLError) return [coded(err, 'GRAPHQL_VALIDATION_FAILED')];
          throw err;
        }
      });
    },
    onExecute({ args, setResultAndStopExecution }) {
      const nodes = knownQueryNodes(args.schema, args.document, args.variableValues ?? undefined, args.operationName ?? undefined);
      if (nodes === undefined) return;
      if (nodes > maxNodes) return setResultAndStopExecution({ errors: [tooComplex(nodes)] });
      const request = (args.contextValue as { request?: object }).request;
      if (request) {
        const total = (spent.get(request) ?? 0) + nodes;
        spent.set(request, total);
        if (total > maxNodes) return setResultAndStopExecution({ errors: [tooComplex(total, true)] });
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (!('data' in result)) return;
          setResult({ ...result, extensions: { ...result.extensions, cost: { nodes, limit: maxNodes } } });
        },
      };
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const nodes = knownQueryNodes(args.schema, args.document, args.variableValues ?? undefined, args.operationName ?? undefined);
      if (nodes !== undefined && nodes > maxNodes) setResultAndStopExecution({ errors: [tooComplex(nodes)] });
    },
  };
}
