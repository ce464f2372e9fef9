import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { CameraResolver } from './modules/cameras';
import { NeighbourhoodResolver } from './modules/neighbourhoods';

export const resolvers = [CameraResolver, NeighbourhoodResolver] as const;

/** The GraphQL schema, built from the resolvers and types in src/modules. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  // Arguments are checked by the services, with messages that name the argument.
  return buildSchema({ resolvers: [...resolvers], validate: false });
}

/** The schema as SDL, sorted so that the committed schema/schema.graphql diffs cleanly. */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
