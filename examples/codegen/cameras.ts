import type { Position } from 'geojson';
import type { NearCentreQuery } from './generated/graphql';

/**
 * What a client does with the generated types: `geometry` is a GeoJSON Geometry (the `geojson`
 * package's types), so its coordinates are typed once its `type` is checked.
 */
export function cameraPositions(data: NearCentreQuery): { id: string; name: string; lonLat: Position; metres: number | null }[] {
  return data.cameras.edges.flatMap(({ node, distanceMeters }) =>
    node.geometry.type === 'Point' ? [{ id: node.id, name: node.name, lonLat: node.geometry.coordinates, metres: distanceMeters }] : [],
  );
}

/** Status enums come out as string unions. */
export const offline = (data: NearCentreQuery) => data.cameras.edges.filter((e) => e.node.status === 'OFFLINE').length;
