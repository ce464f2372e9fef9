import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { badInput } from '../../../common/errors/app-error';
import type { FeatureSource } from '../import.types';

/** KML (always longitude/latitude on WGS 84): placemarks to GeoJSON by @tmcw/togeojson, their ExtendedData as properties. */
export async function openKml(file: string): Promise<FeatureSource> {
  const name = path.basename(file);
  const text = await readFile(file, 'utf8');
  let features;
  try {
    let failed: string | undefined;
    const doc = new DOMParser({ onError: (level, message) => { if (level === 'fatalError') failed = message; } }).parseFromString(text, 'text/xml');
    if (failed || !doc.documentElement) throw new Error(failed ?? 'no document');
    features = kml(doc as unknown as Parameters<typeof kml>[0]).features;
  } catch (err) {
    throw badInput(`${name} is not KML that can be read: ${(err as Error).message}`);
  }
  let read = 0;
  return {
    format: 'KML',
    crs: { srid: 4326, from: 'KML (always WGS 84 longitude/latitude)' },
    notes: [],
    async *features() {
      for (const f of features) {
        read++;
        const { styleUrl: _s, styleHash: _h, styleMapHash: _m, stroke: _k, fill: _f, ...properties } = (f.properties ?? {}) as Record<string, unknown>;
        for (const k of Object.keys(properties)) if (/^(stroke|fill|icon|label)-|^visibility$/.test(k)) delete properties[k];
        yield { row: read, properties, geometry: f.geometry ? { geojson: f.geometry } : null };
      }
    },
    progress: () => (features.length ? read / features.length : undefined),
    close: async () => undefined,
  };
}
