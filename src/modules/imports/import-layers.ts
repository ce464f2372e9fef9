import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { COMMON_INPUT_FIELDS, type InputFieldSpec } from '../../geo/layer.mutations';
import type { LayerDefinition, Referenced } from '../../geo/layer.repository';
import { Resource } from '../../common/auth/resources';
import { AssetInputs } from '../assets/asset.mutations';
import { AssetRepository, AssetType } from '../assets';
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
  /**
   * Values (folded) that mean a value of an enum field, besides the value's own name: the words an
   * older program or a spreadsheet writes ("Yazıcı" for PRINTER).
   */
  valueAliases?: Record<string, Record<string, string>>;
  /**
   * Reference fields (foreign keys) whose row's position a feature takes when its row of the file has
   * no geometry, the first given one of them, as the edit mutations place it; an update without any
   * keeps its stored geometry. Without this, every row needs a geometry.
   */
  positionFrom?: string[];
  /** Rules between a row's values (by column) that the layer's mutations also enforce. */
  rowProblems?: (values: Record<string, unknown>) => { field: string; reason: string }[];
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

/** Turkish names of asset types, as inventories kept in spreadsheets write them. */
const ASSET_TYPE_WORDS: Record<string, AssetType> = {
  bilgisayar: AssetType.COMPUTER, masaustu: AssetType.COMPUTER, masaustubilgisayar: AssetType.COMPUTER, pc: AssetType.COMPUTER,
  dizustu: AssetType.LAPTOP, dizustubilgisayar: AssetType.LAPTOP, notebook: AssetType.LAPTOP,
  yazici: AssetType.PRINTER, tarayici: AssetType.SCANNER, ekran: AssetType.MONITOR,
  kesintisizguckaynagi: AssetType.UPS,
  anahtar: AssetType.SWITCH, aganahtari: AssetType.SWITCH,
  yonlendirici: AssetType.ROUTER, guvenlikduvari: AssetType.FIREWALL, sunucu: AssetType.SERVER,
  telefon: AssetType.PHONE, santral: AssetType.PBX, telefonsantrali: AssetType.PBX,
  kamera: AssetType.CAMERA, kayitcihazi: AssetType.NVR, diger: AssetType.OTHER,
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
  assets: {
    name: 'assets', what: 'asset', plural: 'assets',
    definition: (db, access) => new AssetRepository(db, access).layer as LayerDefinition<unknown>,
    fields: withCommon(AssetInputs.fields), key: ['inventoryNo'], foldKey: false,
    aliases: {
      demirbas: 'inventoryNo', demirbasno: 'inventoryNo', demirbasnumarasi: 'inventoryNo', envanterno: 'inventoryNo', sicilno: 'inventoryNo',
      seri: 'serialNo', serino: 'serialNo', serinumarasi: 'serialNo', tur: 'type', turu: 'type', tip: 'type', cins: 'type', cinsi: 'type',
      marka: 'make', konum: 'site', yer: 'site', bulunduguyer: 'site', alimtarihi: 'purchasedOn', satinalmatarihi: 'purchasedOn',
      garantibitis: 'warrantyEndsOn', garantibitistarihi: 'warrantyEndsOn', ip: 'ipAddress', ipadresi: 'ipAddress',
      mac: 'macAddress', macadresi: 'macAddress', aciklama: 'notes', notlar: 'notes', not: 'notes',
      kamera: 'cameraId', kamerakodu: 'cameraId', uzakbirim: 'remoteUnitId', uzakbirimkodu: 'remoteUnitId',
      birim: 'ownerOrgUnitId', mudurluk: 'ownerOrgUnitId', sorumlubirim: 'ownerOrgUnitId',
    },
    valueAliases: { type: ASSET_TYPE_WORDS },
    positionFrom: ['cameraId', 'remoteUnitId'],
    rowProblems: (v) =>
      v.camera_id != null && v.type != null && v.type !== AssetType.CAMERA
        ? [{ field: 'cameraId', reason: `only an asset of type CAMERA can be a camera, not ${String(v.type)}` }]
        : [],
  },
};

/** The owning directorate or unit, which every feature names: anyone reads org units, by id or code. */
const OWNER_REFERENCED: Referenced = { resource: Resource.USERS, table: 'org_units', target: {}, code: 'code', readByAll: true };

/** The reference fields of an import target (its foreign keys), the owner's among them. */
export function importReferences(definition: LayerDefinition<unknown>): Record<string, Referenced> {
  return { ...definition.references, ownerOrgUnitId: OWNER_REFERENCED };
}
