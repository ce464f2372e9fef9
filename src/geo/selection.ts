import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';

/** The field's selection, parsed once per resolve info (a list asks for its rows' fields and its totalCount). */
const trees = new WeakMap<GraphQLResolveInfo, ResolveTree | null>();
function resolveTree(info: GraphQLResolveInfo): ResolveTree | null {
  let tree = trees.get(info);
  if (tree === undefined) trees.set(info, (tree = (parseResolveInfo(info) as ResolveTree | null) ?? null));
  return tree;
}

/**
 * The names of the fields a list query selects on its rows (`edges { node { … } }`, through
 * fragments and aliases), so that the page's statement reads only what the answer needs. Undefined
 * when there is no resolve info: then everything is read.
 */
export function selectedNodeFields(info: GraphQLResolveInfo | undefined): ReadonlySet<string> | undefined {
  if (!info) return undefined;
  const tree = resolveTree(info);
  if (!tree) return undefined;
  const names = new Set<string>();
  const children = (t: ResolveTree) => Object.values(t.fieldsByTypeName).flatMap((fields) => Object.values(fields));
  for (const edges of children(tree).filter((f) => f.name === 'edges')) {
    for (const node of children(edges).filter((f) => f.name === 'node')) {
      // geometry(srid: …) in another CRS is read by its loader, not from the row's GeoJSON.
      for (const field of children(node)) if (!(field.name === 'geometry' && inOtherCrs(field))) names.add(field.name);
    }
  }
  return names;
}

const inOtherCrs = (field: ResolveTree) => typeof field.args.srid === 'number' && field.args.srid !== 4326;

/** Whether a list query selects `name` on the connection itself (totalCount, pageInfo, …). */
export function selectsOnConnection(info: GraphQLResolveInfo | undefined, name: string): boolean {
  const tree = info ? resolveTree(info) : null;
  return !!tree && Object.values(tree.fieldsByTypeName).some((fields) => Object.values(fields).some((f) => f.name === name));
}

/** The names of the fields a query selects on the object a field resolves to (a relation). */
export function selectedFields(info: GraphQLResolveInfo | undefined): ReadonlySet<string> | undefined {
  if (!info) return undefined;
  const tree = resolveTree(info);
  if (!tree) return undefined;
  return new Set(Object.values(tree.fieldsByTypeName).flatMap((fields) => Object.values(fields).map((f) => f.name)));
}
