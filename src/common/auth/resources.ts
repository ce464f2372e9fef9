import { registerEnumType } from 'type-graphql';

/** What a grant applies to: a map layer or an administrative entity. */
export enum Resource {
  NEIGHBOURHOODS = 'NEIGHBOURHOODS',
  CAMERAS = 'CAMERAS',
  NETWORK_NODES = 'NETWORK_NODES',
  NETWORK_LINES = 'NETWORK_LINES',
  REMOTE_UNITS = 'REMOTE_UNITS',
  PARCELS = 'PARCELS',
  USERS = 'USERS',
  ROLES = 'ROLES',
  API_TOKENS = 'API_TOKENS',
  AUDIT_LOG = 'AUDIT_LOG',
  ASSETS = 'ASSETS',
  FAULTS = 'FAULTS',
  CUSTODY = 'CUSTODY',
  STOCK = 'STOCK',
  DISPOSALS = 'DISPOSALS',
  VENDORS = 'VENDORS',
}

/** What a grant allows. */
export enum Action {
  READ = 'READ',
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
}

registerEnumType(Resource, {
  name: 'Resource',
  description: 'A map layer or an administrative entity that grants apply to.',
});
registerEnumType(Action, { name: 'Action', description: 'What a grant allows on its resource.' });

/**
 * Fields that are shown only with a READ grant naming them, per resource (GraphQL field names).
 * Everywhere else they are withheld: null, with a FORBIDDEN error on the field.
 */
export const SENSITIVE_FIELDS: Partial<Record<Resource, readonly string[]>> = {
  [Resource.CAMERAS]: ['streamUrl'],
  [Resource.USERS]: ['email'],
};

/** The table of each layer resource. */
export const LAYER_TABLES = {
  [Resource.NEIGHBOURHOODS]: 'neighbourhoods',
  [Resource.CAMERAS]: 'cameras',
  [Resource.NETWORK_NODES]: 'network_nodes',
  [Resource.NETWORK_LINES]: 'network_lines',
  [Resource.REMOTE_UNITS]: 'remote_units',
  [Resource.PARCELS]: 'parcels',
} as const;

export type LayerResource = keyof typeof LAYER_TABLES;
