import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/Pick';
import { streamArray } from 'stream-json/streamers/StreamArray';
import Assembler from 'stream-json/Assembler';
import { badInput } from '../../../common/errors/app-error';
import { sridFromCrsName } from '../crs';
import type { FeatureSource, SourceCrs, SourceFeature } from '../import.types';

interface Feature {
  type?: string;
  properties?: Record<string, unknown> | null;
  geometry?: unknown;
}

function toFeature(value: unknown, row: number, file: string): SourceFeature {
  const f = value as Feature;
  if (!f || typeof f !== 'object' || f.type !== 'Feature') throw badInput(`${path.basename(file)}: item ${row} is not a GeoJSON Feature`);
  return { row, properties: f.properties ?? {}, geometry: f.geometry ? { geojson: f.geometry } : null };
}

function crsOf(crs: unknown, from: string): SourceCrs | null {
  const name = (crs as { properties?: { name?: string } } | undefined)?.properties?.name;
  if (!name) return null;
  const srid = sridFromCrsName(name);
  if (srid === undefined) throw badInput(`${from}: the crs ${JSON.stringify(name)} is not an EPSG code this import reads; give --srid`);
  return { srid, from };
}

/**
 * Reads the top-level crs of a FeatureCollection, stopping at "features" (GDAL and QGIS write the
 * crs before them); also checks that it is a FeatureCollection.
 */
async function readHeader(file: string): Promise<{ crs: unknown; type: unknown }> {
  const tokens: Readable = pipeline(createReadStream(file), parser(), () => undefined);
  let depth = 0;
  let key: string | undefined;
  let assembler: Assembler | undefined;
  let target: 'crs' | 'type' | undefined;
  const found: { crs: unknown; type: unknown } = { crs: undefined, type: undefined };
  try {
    for await (const token of tokens as AsyncIterable<{ name: string; value?: unknown }>) {
      if (assembler) {
        (assembler as unknown as Record<string, (v: unknown) => void>)[token.name]?.(token.value);
        if (assembler.done) {
          found[target!] = assembler.current;
          assembler = undefined;
        }
        continue;
      }
      if (depth === 1 && token.name === 'keyValue') {
        key = token.value as string;
        if (key === 'features') break;
        continue;
      }
      if (depth === 1 && (key === 'crs' || key === 'type') && token.name !== 'keyValue') {
        if (token.name === 'startObject') {
          target = key;
          assembler = new Assembler();
          (assembler as unknown as Record<string, (v: unknown) => void>)[token.name](token.value);
          continue;
        }
        if (token.name === 'stringValue') found[key] = token.value;
      }
      if (token.name === 'startObject' || token.name === 'startArray') depth++;
      if (token.name === 'endObject' || token.name === 'endArray') depth--;
    }
  } catch (err) {
    throw badInput(`${path.basename(file)} is not valid JSON: ${(err as Error).message}`);
  } finally {
    tokens.destroy();
  }
  return found;
}

/** A GeoJSON FeatureCollection, streamed feature by feature (memory does not grow with the file). */
export async function openGeoJson(file: string): Promise<FeatureSource> {
  const header = await readHeader(file);
  if (header.type !== 'FeatureCollection') throw badInput(`${path.basename(file)} is not a GeoJSON FeatureCollection (its type is ${JSON.stringify(header.type ?? null)})`);
  const size = statSync(file).size;
  const input = createReadStream(file);
  return {
    format: 'GeoJSON',
    crs: crsOf(header.crs, 'the GeoJSON crs member'),
    notes: [],
    async *features() {
      const items: Readable = pipeline(input, parser(), pick({ filter: 'features' }), streamArray(), () => undefined);
      try {
        for await (const item of items as AsyncIterable<{ key: number; value: unknown }>) yield toFeature(item.value, item.key + 1, file);
      } catch (err) {
        if ((err as { code?: string }).code === 'BAD_USER_INPUT' || (err as { extensions?: unknown }).extensions) throw err;
        throw badInput(`${path.basename(file)} is not valid JSON: ${(err as Error).message}`);
      }
    },
    progress: () => (size ? input.bytesRead / size : undefined),
    close: async () => void input.destroy(),
  };
}

/** GeoJSONSeq (RFC 8142) or newline-delimited GeoJSON: one Feature a line. */
export async function openGeoJsonSeq(file: string): Promise<FeatureSource> {
  const size = statSync(file).size;
  const input = createReadStream(file);
  return {
    format: 'GeoJSONSeq',
    crs: null,
    notes: [],
    async *features() {
      let row = 0;
      let line = 0;
      for await (const text of createInterface({ input, crlfDelay: Infinity })) {
        line++;
        const t = text.replace(/^[\u001e\uFEFF]+/, '').trim();
        if (!t) continue;
        let value: unknown;
        try {
          value = JSON.parse(t);
        } catch {
          throw badInput(`${path.basename(file)}: line ${line} is not JSON`);
        }
        yield toFeature(value, ++row, file);
      }
    },
    progress: () => (size ? input.bytesRead / size : undefined),
    close: async () => void input.destroy(),
  };
}
