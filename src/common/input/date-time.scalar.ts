import { GraphQLScalarType } from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';

/**
 * `DateTimeISO`: type-graphql's scalar for `Date` fields (graphql-scalars' DateTimeISO), with the
 * specification it follows named, so that code generators type it as a date-time.
 */
export const DateTimeISOScalar = new GraphQLScalarType({
  ...GraphQLDateTimeISO.toConfig(),
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
});
