import type { LayerSchema } from '../schema';
import type { ExportRow } from './export.repository';

/** A value as text formats write it: timestamps in ISO 8601 UTC (as the GeoJSON has them), the rest as given. */
export const plainValue = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);

/** The property names of the schema, in the features' order (`id` first). */
export const propertyNames = (s: LayerSchema): string[] => s.properties.map((p) => p.name);

/** A row's properties in schema order, values plain; withheld fields are already null in the row. */
export function properties(s: LayerSchema, row: ExportRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of s.properties) out[p.name] = plainValue(row[p.name]);
  return out;
}
