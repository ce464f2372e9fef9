import type { GraphQLFieldResolver } from 'graphql';
import { forbidden } from './access';

/**
 * The resolver of a sensitive field: the value when a grant revealed it on this row (the repository
 * selected it), else FORBIDDEN on the field (null in the data). A plain resolver: it runs per row.
 */
export function sensitiveField(field: string, what: string): GraphQLFieldResolver<{ withheld?: string[] | null } & Record<string, unknown>, unknown> {
  return (row) => {
    if (row.withheld?.includes(field)) throw forbidden(`you may not read ${what}: it needs a grant that names the field ${field}`);
    return row[field];
  };
}
