import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';

/**
 * The names of the fields a list query selects on its rows (`edges { node { … } }`, through
 * fragments and aliases), so that the page's statement reads only what the answer needs. Undefined
 * when there is no resolve info: then everything is read.
 */
export function selectedNodeFields(info: GraphQLResolveInfo | undefined): ReadonlySet<string> | undefined {
  if (!info) return undefined;
  const tree = parseResolveInfo(info) as ResolveTree | null;
  if (!tree) return undefined;
  const names = new Set<string>();
  const children = (t: ResolveTree) => Object.values(t.fieldsByTypeName).flatMap((fields) => Object.values(fields));
  for (const edges of children(tree).filter((f) => f.name === 'edges')) {
    for (const node of children(edges).filter((f) => f.name === 'node')) {
      for (const field of children(node)) names.add(field.name);
    }
  }
  return names;
}

/** Whether a list query selects `name` on the connection itself (totalCount, pageInfo, …). */
export function selectsOnConnection(info: GraphQLResolveInfo | undefined, name: string): boolean {
  const tree = info ? (parseResolveInfo(info) as ResolveTree | null) : null;
  return !!tree && Object.values(tree.fieldsByTypeName).some((fields) => Object.values(fields).some((f) => f.name === name));
}

/** The names of the fields a query selects on the object a field resolves to (a relation). */
export function selectedFields(info: GraphQLResolveInfo | undefined): ReadonlySet<string> | undefined {
  if (!info) return undefined;
  const tree = parseResolveInfo(info) as ResolveTree | null;
  if (!tree) return undefined;
  return new Set(Object.values(tree.fieldsByTypeName).flatMap((fields) => Object.values(fields).map((f) => f.name)));
}
