import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import type { Audience, LimitSettings } from '../../config';
import { AppError } from '../errors/app-error';
import { operationCost } from './query-cost';

type QueryLimits = Pick<LimitSettings, 'maxDepth' | 'maxAliases' | 'maxCost' | 'introspection' | 'fieldSuggestions'>;

const tooComplex = (message: string, extensions: Record<string, unknown>) => new AppError('QUERY_TOO_COMPLEX', message, extensions);

/** The number GraphQL Armor found ("… exceeded, found 21."), for the message and extensions. */
const found = (err: GraphQLError) => Number(/found (\d+)/.exec(err.message)?.[1]) || undefined;

/**
 * Depth and alias limits (GraphQL Armor), as validation rules: an operation over either is refused
 * before it runs, with QUERY_TOO_COMPLEX (HTTP 400) naming the limit. Depth counts fields, not
 * fragments; the introspection query's `__schema` is not counted (its TypeRef nests 15 deep), and
 * graphql-js's own MaxIntrospectionDepthRule refuses introspection lists nested deeper than it.
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  const report =
    (what: (n: number | undefined) => AppError) =>
    (context: ValidationContext | null, err: GraphQLError) =>
      context?.reportError(what(found(err)));
  return [
    maxDepthRule({
      n: limits.maxDepth,
      flattenFragments: true,
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: [
        report((n) =>
          tooComplex(`the operation nests fields ${n ?? 'too many'} deep; at most ${limits.maxDepth} levels are allowed: ask for the deeper part in a separate request`, {
            limit: limits.maxDepth,
            depth: n,
          }),
        ),
      ],
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [
        report((n) =>
          tooComplex(`the operation has ${n ?? 'too many'} aliases; at most ${limits.maxAliases} are allowed: send the rest in separate requests`, {
            limit: limits.maxAliases,
            aliases: n,
          }),
        ),
      ],
    }),
  ];
}

// Apollo Server keeps parsed documents, so a repeated query is the same object: checked once.
const introspecting = new WeakMap<DocumentNode, boolean>();
const introspects = (schema: GraphQLSchema, document: DocumentNode) => {
  let found = introspecting.get(document);
  if (found === undefined) introspecting.set(document, (found = validate(schema, document, [NoSchemaIntrospectionCustomRule]).length > 0));
  return found;
};

// The cost of an operation without variables is the document's alone: counted once per document.
const fixedCosts = new WeakMap<OperationDefinitionNode, number | undefined>();
function costOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): number | undefined {
  const fixed = !operation.variableDefinitions?.length;
  if (fixed && fixedCosts.has(operation)) return fixedCosts.get(operation);
  let cost: number | undefined;
  try {
    cost = operationCost(schema, document, operation, variables);
  } catch {
    cost = Infinity; // fragments spread into too many fields to count
  }
  if (fixed) fixedCosts.set(operation, cost);
  return cost;
}

/** QUERY_TOO_COMPLEX when the operation would cost more than allowed (HTTP and WebSocket alike); null when it fits. */
export function costError(
  limits: Pick<QueryLimits, 'maxCost'>,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): AppError | null {
  const cost = costOf(schema, document, operation, variables);
  if (cost === undefined || cost <= limits.maxCost) return null;
  const shown = Number.isFinite(cost) ? cost : undefined;
  return tooComplex(
    `the operation would cost ${shown ?? 'too much'}, more than the ${limits.maxCost} allowed: every field counts 1, times the page size (first, 50 when omitted) of each list it is in; ask for smaller pages or fewer fields`,
    { limit: limits.maxCost, cost: shown },
  );
}

/** Whether a development aid open to `audience` is open to a request (with a token: `loggedIn`). */
export const audienceAllows = (audience: Audience, loggedIn: boolean) => audience === 'everyone' || (audience === 'authenticated' && loggedIn);

/** graphql-js's "Did you mean …?" hints, which name fields, types and values of the schema. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * The limits that depend on the request: the cost of the operation with its variables (refused
 * with QUERY_TOO_COMPLEX before it runs), introspection and field suggestions by who is asking.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<{ identity: unknown }> {
  return {
    async requestDidStart({ contextValue }) {
      const loggedIn = contextValue.identity != null;
      return {
        async didResolveOperation({ request, document, operation, schema }) {
          if (!operation) return;
          if (!audienceAllows(limits.introspection, loggedIn) && introspects(schema, document)) {
            throw new GraphQLError(
              `introspection (__schema, __type) is not allowed ${limits.introspection === 'nobody' ? 'on this server' : 'without logging in: send an access token'}`,
              { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } },
            );
          }
          const error = costError(limits, schema, document, operation, request.variables);
          if (error) throw error;
        },
        async willSendResponse({ response }) {
          if (audienceAllows(limits.fieldSuggestions, loggedIn) || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors) result.errors = result.errors.map((e) => ({ ...e, message: e.message.replace(SUGGESTION, '') }));
        },
      };
    },
  };
}
