import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { COMMON_INPUT_FIELDS, type InputFieldSpec } from '../../geo/layer.mutations';
import type { LayerDefinition } from '../../geo/layer.repository';
import { CameraInputs, CameraRepository } from '../cameras';
import { NeighbourhoodInputs, NeighbourhoodRepository } from '../neighbourhoods';
import { NetworkLineInputs, NetworkLineRepository, NetworkNodeInputs, NetworkNodeRepository } from '../network';
import { ParcelInputs, ParcelRepository } from '../parcels';
import { RemoteUnitInputs, RemoteUnitRepository } from '../remote-units';

/** A layer the import can write: its definition and input fields, as the edit mutations use them. */
export interface ImportLayer {
  name: string;
  /** Singular and plural, for messages. */
  what: string;
  plural: string;
  definition(db: Knex, access: Access): LayerDefinition<unknown>;
  /** The create input's fields (with ownerOrgUnitId and isPublic). */
  fields: Record<string, InputFieldSpec>;
  /** The natural key's fields, matched in upserts. */
  key: string[];
  /** Text key fields are compared folded the Turkish way (kbs_fold), as the unique index does for the mahalle. */
  foldKey: boolean;
  /** Source field names (any case, folded) that mean a layer field, besides the field's own and its column's name. */
  aliases: Record<string, string>;
}

/** TKGM's parcel exports (Parsel Sorgu, e-Plan) and MEGSİS's spelling of the same. */
const TKGM_PARCEL_FIELDS: Record<string, string> = {
  il: 'province',
  ilad: 'province',
  ilce: 'district',
  ilcead: 'district',
  mahalle: 'mahalle',
  mahallead: 'mahalle',
  ada: 'ada',
  adano: 'ada',
  parsel: 'parsel',
  parselno: 'parsel',
  alan: 'registeredAreaSquareMeters',
  tapualan: 'registeredAreaSquareMeters',
  nitelik: 'nitelik',
  pafta: 'pafta',
  paftano: 'pafta',
};

const withCommon = (fields: Record<string, InputFieldSpec>) => ({ ...fields, ...COMMON_INPUT_FIELDS });

export const IMPORT_LAYERS: Record<string, ImportLayer> = {
  cameras: {
    name: 'cameras', what: 'camera', plural: 'cameras',
    definition: (db, access) => new CameraRepository(db, access).layer as LayerDefinition<unknown>,
    fields: withCommon(CameraInputs.fields), key: ['code'], foldKey: false, aliases: { kod: 'code', ad: 'name', adi: 'name' },
  },
  neighbourhoods: {
    name: 'neighbourhoods', what: 'neighbourhood', plural: 'neighbourhoods',
    definition: (db, access) => new NeighbourhoodRepository(db, access).layer as LayerDefinition<unknown>,
    fields: withCommon(NeighbourhoodInputs.fields), key: ['code'], foldKey: false,
    aliases: { kod: 'code', ad: 'name', mahallead: 'name', ilce: 'district', il: 'province', nufus: 'population' },
  },
  'network-nodes': {
    name: 'network-nodes', what: 'network node', plural: 'network nodes',
    definition: (db, access) => new NetworkNodeRepository(db, access).layer as LayerDefinition<unknown>,
    fields: withCommon(NetworkNodeInputs.fields), key: ['code'], foldKey: false, aliases: { kod: 'code', ad: 'name' },
  },
  'network-lines': {
    name: 'network-lines', what: 'network line', plural: 'network lines',
    definition: (db, access) => new NetworkLineRepository(db, access).layer as LayerDefinition<unknown>,
    fields: withCommon(NetworkLineInputs.fields), key: ['code'], foldKey: false, aliases: { kod: 'code', ad: 'name' },
  },
  'remote-units': {
    name: 'remote-units', what: 'remote unit', plural: 'remote units',
    definition: (db, access) => new RemoteUnitRepository(db, access).layer as LayerDefinition<unknown>,
    fields: withCommon(RemoteUnitInputs.fields), key: ['code'], foldKey: false, aliases: { kod: 'code', ad: 'name' },
  },
  parcels: {
    name: 'parcels', what: 'parcel', plural: 'parcels',
    definition: (db, access) => new ParcelRepository(db, access).layer as LayerDefinition<unknown>,
    fields: withCommon(ParcelInputs.fields), key: ['province', 'district', 'mahalle', 'ada', 'parsel'], foldKey: true,
    aliases: TKGM_PARCEL_FIELDS,
  },
};
