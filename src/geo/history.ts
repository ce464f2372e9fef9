import type { Knex } from 'knex';
import { badInput } from '../common/errors/app-error';

/** The tables that keep every version of their rows (migration 20261203000100): the map layers and the asset register. */
export const HISTORY_TABLES: ReadonlySet<string> = new Set(['cameras', 'neighbourhoods', 'network_nodes', 'network_lines', 'remote_units', 'parcels', 'assets']);

/** An `asOf` after checking: the instant, and from when the layer's history is complete. */
export interface AsOf {
  instant: Date;
  /**
   * When the layer began to keep its history. Before it, a row is known only in the version that
   * was current then (from its last change), and rows deleted before it are not known at all.
   */
  knownFrom: Date;
}

/**
 * Checks an `asOf` argument: an instant in the future is BAD_USER_INPUT (nothing is known about
 * it); one before the layer's history began answers with what is known, and says from when.
 */
export async function checkAsOf(db: Knex, table: string, asOf: Date | null | undefined, argument = 'asOf'): Promise<AsOf | null> {
  if (asOf == null) return null;
  if (asOf.getTime() > Date.now()) throw badInput(`${argument} ${asOf.toISOString()} is in the future: the past and the present are known, not the future`);
  const row = await db('history_known_from').where('table_name', table).first('known_from');
  if (!row) throw badInput(`${argument}: no history is kept for ${table.replace(/_/g, ' ')}`);
  return { instant: asOf, knownFrom: row.known_from as Date };
}
