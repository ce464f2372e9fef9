import {
  getNamedType,
  getNullableType,
  getVariableValues,
  isCompositeType,
  isListType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../config';

/** Items a list without a page argument is taken to hold (a line's ends, a fault's events, …). */
export const ASSUMED_LIST_SIZE = 10;

/** The page arguments of this API's lists (`first`) and of list-like fields elsewhere (`limit`). */
const PAGE_ARGUMENTS = ['first', 'limit'];

const isIntrospection = (parent: { name: string }, field: { name: string }) => parent.name.startsWith('__') || field.name === '__schema' || field.name === '__type';

/** Fields of a connection that hold its page: their cost is per item. */
const PAGE_FIELDS = new Set(['edges', 'featureCollection']);

const isConnection = (type: { name: string }) => type.name.endsWith('Connection');

/** The fields selected directly in a selection set, through fragments. */
function selectedFields(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  const out: FieldNode[] = [];
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...selectedFields(s.selectionSet, fragments, seen));
    else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      out.push(...selectedFields(fragments.get(s.name.value)?.selectionSet, fragments, seen));
    }
  }
  return out;
}

/**
 * The cost of fields: 1 for a field, plus what is selected inside it times the number of items
 * it returns. A connection (`first`, default 50, counted as at most 1000, the largest page)
 * multiplies what is selected per item (`edges`, `featureCollection`) by the page size; its
 * `totalCount` and `pageInfo` count once. A list without a page argument counts ASSUMED_LIST_SIZE
 * items. So `neighbourhoods(first: 100) { edges { node { cameras(first: 100) { edges { node { id } } } } } }`
 * costs about 100 × 100 × 3: pages nested in pages multiply. Introspection counts 0 here.
 */
function dataEstimator(fragments: Map<string, FragmentDefinitionNode>): ComplexityEstimator {
  // The cost of each page field (edges, featureCollection), by its place in the document; the
  // connection above it is estimated after it and multiplies it.
  const pageCost = new WeakMap<FieldNode, number>();
  return ({ type, field, node, args, childComplexity }) => {
    if (isIntrospection(type, field)) return 0;
    const pageArgument = field.args.find((a) => PAGE_ARGUMENTS.includes(a.name));
    let cost: number;
    if (pageArgument) {
      const asked = args[pageArgument.name];
      const items = typeof asked === 'number' ? Math.min(Math.max(asked, 0), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
      if (isConnection(getNamedType(field.type))) {
        const perItem = selectedFields(node.selectionSet, fragments).reduce((sum, f) => sum + (pageCost.get(f) ?? 0), 0);
        cost = 1 + childComplexity + (items - 1) * perItem;
      } else {
        cost = 1 + items * childComplexity;
      }
    } else if (isListType(getNullableType(field.type)) && isCompositeType(getNamedType(field.type)) && !isConnection(type)) {
      cost = 1 + ASSUMED_LIST_SIZE * childComplexity;
    } else {
      cost = 1 + childComplexity;
    }
    if (isConnection(type) && PAGE_FIELDS.has(field.name)) pageCost.set(node, cost);
    return cost;
  };
}

/**
 * The estimated cost of running `operation` of `document` with `variables` (see dataEstimator);
 * undefined when the variables do not fit the operation (execution then reports that, with its own
 * message). Introspection counts 0: it is answered from the schema in memory, and graphql-js refuses
 * introspection that nests its lists deeper than the full introspection query (MaxIntrospectionDepthRule).
 * Throws when fragments spread into more than 20,000 fields.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number | undefined {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return undefined;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  return getComplexity({
    schema,
    query: document,
    operationName: operation.name?.value,
    variables,
    estimators: [dataEstimator(fragments)],
    maxQueryNodes: 20000,
  });
}
