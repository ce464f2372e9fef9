import seedrandom from 'seedrandom';
import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { ANY_TYPE, badValuesFor, EnumLiteral, nested, validValue } from './fuzz-values';

/**
 * Requests with bad values for every argument of a schema, generated from the schema itself: each
 * argument and, recursively, each field of its input objects and each list item gets values that
 * are wrong for its type (test/helpers/fuzz-values.ts), while every other required argument keeps
 * a valid value. Seeded, so a run is the same every time.
 */

export type Rng = () => number;
export const rngOf = (seed: string): Rng => seedrandom(seed);

/** One request: a document and its variables, as whom. */
export interface FuzzCase {
  /** Where the bad value went and what it was, for the failure report. */
  label: string;
  query: string;
  variables: Record<string, unknown>;
  anonymous: boolean;
}

/** A position in an argument: a chain of input fields and list items. */
type Path = (string | 0)[];

interface Leaf {
  path: Path;
  type: GraphQLInputType;
}

/** `n` distinct items of `items`, in a seeded order (all when there are fewer). */
export function sample<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

/** Every leaf of an argument's type: the argument itself, its input fields (recursively), list items. */
function leavesOf(type: GraphQLInputType, path: Path = [], seen: Set<string> = new Set()): Leaf[] {
  const out: Leaf[] = [{ path, type }];
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) return [...out, ...leavesOf(nullable.ofType, [...path, 0], seen).slice(1)];
  if (isInputObjectType(nullable) && !seen.has(nullable.name)) {
    for (const field of Object.values(nullable.getFields())) {
      out.push(...leavesOf(field.type, [...path, field.name], new Set([...seen, nullable.name])));
    }
  }
  return out;
}

/** The argument's valid value with `bad` put at `path` (objects and lists on the way made valid). */
function withValueAt(type: GraphQLInputType, path: Path, bad: unknown): unknown {
  if (path.length === 0) return bad;
  const nullable = getNullableType(type) as GraphQLInputType;
  const [head, ...rest] = path;
  if (isListType(nullable)) return [withValueAt(nullable.ofType, rest, bad)];
  if (!isInputObjectType(nullable)) throw new Error(`no field ${String(head)} in ${String(type)}`);
  const base = validValue(nullable) as Record<string, unknown>;
  return { ...base, [head]: withValueAt(nullable.getFields()[head as string].type, rest, bad) };
}

/** Punctuation queued while printing a literal. */
class Token {
  constructor(readonly text: string) {}
}

/** A JavaScript value as a GraphQL literal (enums bare). Undefined when it has none (NaN, ±Infinity). */
export function literal(value: unknown): string | undefined {
  if (value instanceof EnumLiteral) return value.name;
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  // Iterative, so that values nested thousands deep print without exhausting the stack.
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v instanceof Token) {
      out.push(v.text);
    } else if (Array.isArray(v)) {
      out.push('[');
      stack.push(new Token(']'));
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i], ...(i > 0 ? [new Token(', ')] : []));
    } else if (typeof v === 'object' && v !== null && !(v instanceof EnumLiteral)) {
      out.push('{');
      stack.push(new Token('}'));
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(entries[i][0])) return undefined;
        stack.push(entries[i][1], new Token(`${entries[i][0]}: `), ...(i > 0 ? [new Token(', ')] : []));
      }
    } else {
      const s = literal(v);
      if (s === undefined) return undefined;
      out.push(s);
    }
  }
  return out.join('');
}

/** A value as JSON text, iteratively: JSON.stringify exhausts the stack on values nested thousands deep. */
export function toJson(value: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v instanceof Token) out.push(v.text);
    else if (v instanceof EnumLiteral) out.push(JSON.stringify(v.name));
    else if (Array.isArray(v)) {
      out.push('[');
      stack.push(new Token(']'));
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i], ...(i > 0 ? [new Token(',')] : []));
    } else if (typeof v === 'object' && v !== null) {
      out.push('{');
      stack.push(new Token('}'));
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i][1], new Token(`${JSON.stringify(entries[i][0])}:`), ...(i > 0 ? [new Token(',')] : []));
    } else out.push(JSON.stringify(v) ?? 'null');
  }
  return out.join('');
}

/** A short description of a value for the report. */
export function describe(value: unknown): string {
  const s = toJson(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Fields of an object type worth selecting: scalars and enums with no required arguments. */
function selection(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const parts = ['__typename'];
  for (const field of Object.values(named.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const fieldType = getNamedType(field.type);
    if (isLeafType(fieldType)) parts.push(field.name);
    else if (depth < 2 && ['edges', 'node', 'pageInfo'].includes(field.name)) parts.push(`${field.name} ${selection(field.type, depth + 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** A place in a document where a field with arguments is called: a root field, or one nested under it. */
export interface Site {
  operation: 'query' | 'mutation';
  /** The field, and the fields above it (root first) with their valid arguments. */
  chain: { field: GraphQLField<unknown, unknown>; fixedArgs: Record<string, unknown> }[];
}

/** Valid values for the required arguments of a field. */
function requiredArgs(field: GraphQLField<unknown, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of field.args) if (isNonNullType(arg.type) && arg.defaultValue === undefined) out[arg.name] = validValue(arg.type);
  return out;
}

/** Every root field, and the fields with arguments one or two levels under the root queries' results. */
export function sitesOf(schema: GraphQLSchema): Site[] {
  const sites: Site[] = [];
  for (const [operation, root] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      sites.push({ operation, chain: [{ field, fixedArgs: requiredArgs(field) }] });
      if (operation !== 'query') continue;
      // Fields with arguments on what the query returns (through a connection's edges.node).
      const visit = (type: GraphQLObjectType, chain: Site['chain'], depth: number) => {
        for (const sub of Object.values(type.getFields())) {
          const subType = getNamedType(sub.type);
          if (sub.args.length) sites.push({ operation, chain: [...chain, { field: sub, fixedArgs: requiredArgs(sub) }] });
          if (depth < 2 && isObjectType(subType) && ['edges', 'node'].includes(sub.name)) visit(subType, [...chain, { field: sub, fixedArgs: {} }], depth + 1);
        }
      };
      // A few rows are enough to run the nested fields; a whole page of them is only slower.
      const type = getNamedType(field.type);
      const rootArgs = { ...requiredArgs(field), ...(field.args.some((a) => a.name === 'first') ? { first: 3 } : {}) };
      if (isObjectType(type)) visit(type, [{ field, fixedArgs: rootArgs }], 0);
    }
  }
  return sites;
}

/**
 * The cases of one site: for each leaf of each argument of its last field, the leaf's must-send
 * bad values and `extra` sampled ones, as a variable or (some) inline as a literal.
 */
export function casesOf(site: Site, rng: Rng, extra: number): FuzzCase[] {
  const target = site.chain[site.chain.length - 1];
  const cases: FuzzCase[] = [];
  const name = site.chain.map((c) => c.field.name).join('.');
  for (const arg of target.field.args) {
    for (const leaf of leavesOf(arg.type)) {
      const named = getNamedType(leaf.type);
      const nullable = getNullableType(leaf.type);
      // A list gets lists nested too deep and too long; its items get the values of their type.
      const { must, pool } = isListType(nullable)
        ? { must: [nested(100), Array.from({ length: 1_000 }, () => validValue(nullable.ofType))], pool: [[null], 'x', [[validValue(nullable.ofType)]]] }
        : isInputObjectType(named)
          ? { must: [null, {}], pool: ANY_TYPE }
          : badValuesFor(named);
      const values = [...must, ...sample(rng, [...pool, ...(leaf.path.length ? [] : ANY_TYPE)], extra)];
      for (const bad of values) {
        const value = withValueAt(arg.type, leaf.path, bad);
        const where = `${name}(${[arg.name, ...leaf.path.map((p) => (p === 0 ? '[0]' : p))].join('.').replace(/\.\[0\]/g, '[0]')})`;
        cases.push(build(site, arg, value, rng() < 0.25, `${where} = ${describe(bad)}`, rng() < 0.15));
      }
    }
  }
  return cases;
}

function build(site: Site, arg: GraphQLArgument, value: unknown, inline: boolean, label: string, anonymous: boolean): FuzzCase {
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  let counter = 0;
  const argument = (a: GraphQLArgument, v: unknown): string => {
    const lit = inline ? literal(v) : undefined;
    if (lit !== undefined) return `${a.name}: ${lit}`;
    const name = `v${counter++}`;
    definitions.push(`$${name}: ${String(a.type)}`);
    variables[name] = v;
    return `${a.name}: $${name}`;
  };
  const target = site.chain[site.chain.length - 1];
  const call = (link: Site['chain'][number], isTarget: boolean) => {
    const args = link.field.args
      .filter((a) => (isTarget && a === arg) || a.name in link.fixedArgs)
      .map((a) => argument(a, isTarget && a === arg ? value : link.fixedArgs[a.name]));
    return `${link.field.name}${args.length ? `(${args.join(', ')})` : ''}`;
  };
  let body = `${call(target, true)} ${selection(target.field.type)}`;
  for (let i = site.chain.length - 2; i >= 0; i--) body = `${call(site.chain[i], false)} { ${body} }`;
  const query = `${site.operation}${definitions.length ? `(${definitions.join(', ')})` : ''} { ${body} }`;
  return { label: `${anonymous ? 'anonymous ' : ''}${label}${inline ? ' (inline)' : ''}`, query, variables, anonymous };
}
