import type { Knex } from 'knex';
import type { LayerDefinition } from '../../geo/layer.repository';
import { assetLayer } from '../assets/asset.repository';
import { cameraLayer } from '../cameras/camera.repository';
import { HistoryLayer } from '../history';
import { neighbourhoodLayer } from '../neighbourhoods/neighbourhood.repository';
import { nodeLayer, lineLayer } from '../network/network.repository';
import { parcelLayer } from '../parcels/parcel.repository';
import { remoteUnitLayer } from '../remote-units/remote-unit.repository';
import type { FeedLayer } from './live.feed';

/** The layers whose changes are pushed (those that keep a history), by table. */
export function FEED_LAYERS(db: Knex): Map<string, FeedLayer> {
  const definitions: [HistoryLayer, LayerDefinition<any>][] = [
    [HistoryLayer.CAMERAS, cameraLayer(db)],
    [HistoryLayer.NEIGHBOURHOODS, neighbourhoodLayer(db)],
    [HistoryLayer.NETWORK_NODES, nodeLayer(db)],
    [HistoryLayer.NETWORK_LINES, lineLayer(db)],
    [HistoryLayer.REMOTE_UNITS, remoteUnitLayer(db)],
    [HistoryLayer.PARCELS, parcelLayer(db)],
    [HistoryLayer.ASSETS, assetLayer(db)],
  ];
  return new Map(definitions.map(([layer, definition]) => [definition.table, { layer, definition: definition as LayerDefinition<unknown> }]));
}
