import { GraphQLObjectType, lexicographicSortSchema, printSchema, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { Context } from './context';
import { sensitiveField } from './common/auth/sensitive';
import { Asset, assetGeometry, AssetMutationResolver, AssetResolver, AssetStateResolver, CameraAssetResolver, RemoteUnitAssetResolver, VendorResolver } from './modules/assets';
import { AuditResolver } from './modules/audit';
import { HistoryResolver } from './modules/history';
import { FaultLiveEventResolver, LiveResolver } from './modules/live/live.resolver';
import { createPubSub } from '@graphql-yoga/subscription';
import { Camera, CameraCoverageResolver, cameraGeometry, CameraMutationResolver, CameraResolver } from './modules/cameras';
import { AssetFaultsResolver, Fault, FaultEventResolver, faultGeometry, FaultMutationResolver, FaultResolver, StockMovementFaultResolver, VendorRepairResolver } from './modules/faults';
import { AssetCustodyResolver, CustodyMutationResolver, CustodyResolver, HandoverItemResolver, HandoverResolver, UserCustodyResolver } from './modules/custody';
import { AssetDisposalsResolver, DisposalMutationResolver, DisposalResolver } from './modules/disposals';
import {
  Neighbourhood,
  neighbourhoodGeometry,
  NeighbourhoodMutationResolver,
  neighbourhoodOfResolvers,
  NeighbourhoodResolver,
} from './modules/neighbourhoods';
import {
  NetworkLine,
  networkLineGeometry,
  NetworkLineMutationResolver,
  NetworkLineResolver,
  NetworkNode,
  networkNodeGeometry,
  NetworkNodeMutationResolver,
  NetworkNodeResolver,
  RemoteUnitNetworkResolver,
  CameraServedByResolver,
  FaultImpactResolver,
  NetworkLineAssetResolver,
  NetworkNodeAssetResolver,
  NetworkCriticalElementResolver,
  NetworkImpactResolver,
  NetworkNodeRouteResolver,
  NetworkOperationsResolver,
  NetworkRouteStepResolver,
  RemoteUnitConnectivityResolver,
} from './modules/network';
import { ImportJobResolver } from './modules/imports';
import { OrgUnitResolver, ownerOrgUnitResolver } from './modules/org-units';
import { Parcel, parcelGeometry, ParcelMutationResolver, ParcelResolver } from './modules/parcels';
import { RemoteUnit, remoteUnitGeometry, RemoteUnitMutationResolver, RemoteUnitResolver } from './modules/remote-units';
import { StockItemResolver, StockMovementResolver, StockMutationResolver } from './modules/stock';
import { GrantResolver, RoleResolver } from './modules/permissions';
import { ApiTokenResolver, UserMutationResolver, UserResolver } from './modules/users';
import { featureCollectionResolvers } from './feature-collections';
import { DateTimeISOScalar } from './common/input/date-time.scalar';

const LAYER_TYPES = [Camera, Neighbourhood, NetworkNode, NetworkLine, RemoteUnit, Parcel, Asset, Fault];

export const resolvers = [
  CameraResolver,
  CameraMutationResolver,
  CameraCoverageResolver,
  NeighbourhoodResolver,
  NeighbourhoodMutationResolver,
  ...neighbourhoodOfResolvers,
  NetworkNodeResolver,
  NetworkNodeMutationResolver,
  NetworkLineResolver,
  NetworkLineMutationResolver,
  RemoteUnitNetworkResolver,
  NetworkOperationsResolver,
  NetworkRouteStepResolver,
  NetworkImpactResolver,
  NetworkCriticalElementResolver,
  FaultImpactResolver,
  CameraServedByResolver,
  NetworkLineAssetResolver,
  NetworkNodeAssetResolver,
  RemoteUnitConnectivityResolver,
  NetworkNodeRouteResolver,
  OrgUnitResolver,
  ...LAYER_TYPES.map(ownerOrgUnitResolver),
  ...featureCollectionResolvers,
  ParcelResolver,
  ParcelMutationResolver,
  RemoteUnitResolver,
  RemoteUnitMutationResolver,
  UserResolver,
  UserMutationResolver,
  ApiTokenResolver,
  RoleResolver,
  GrantResolver,
  AuditResolver,
  HistoryResolver,
  LiveResolver,
  FaultLiveEventResolver,
  AssetResolver,
  AssetMutationResolver,
  AssetStateResolver,
  CameraAssetResolver,
  RemoteUnitAssetResolver,
  VendorResolver,
  FaultResolver,
  FaultMutationResolver,
  FaultEventResolver,
  VendorRepairResolver,
  StockMovementFaultResolver,
  AssetFaultsResolver,
  CustodyResolver,
  CustodyMutationResolver,
  HandoverResolver,
  HandoverItemResolver,
  AssetCustodyResolver,
  UserCustodyResolver,
  StockItemResolver,
  StockMovementResolver,
  StockMutationResolver,
  DisposalResolver,
  DisposalMutationResolver,
  AssetDisposalsResolver,
  ImportJobResolver,
] as const;

/**
 * Fields resolved once for every feature of a page, installed as plain graphql-js resolvers in
 * place of type-graphql's wrappers (which still declare them). The wrapper converts and validates
 * the arguments asynchronously on every call: for `geometry` on a page of 1,000 cameras that was a
 * third of the request's time, for a value that is usually already on the row.
 */
const perFeatureResolvers: Record<string, Record<string, GraphQLFieldResolver<any, Context, any>>> = {
  Asset: { geometry: assetGeometry },
  Camera: { geometry: cameraGeometry, streamUrl: sensitiveField('streamUrl', 'camera stream URLs') },
  Fault: { geometry: faultGeometry },
  Neighbourhood: { geometry: neighbourhoodGeometry },
  NetworkLine: { geometry: networkLineGeometry },
  NetworkNode: { geometry: networkNodeGeometry },
  Parcel: { geometry: parcelGeometry },
  RemoteUnit: { geometry: remoteUnitGeometry },
  User: { email: sensitiveField('email', 'user e-mail addresses') },
};

/** The GraphQL schema, built from the resolvers and types in src/modules. */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  // Arguments are checked by the services, with messages that name the argument.
  const schema = await buildSchema({
    resolvers: [...resolvers] as [Function, ...Function[]],
    validate: false,
    scalarsMap: [{ type: Date, scalar: DateTimeISOScalar }],
    // type-graphql asks for a PubSub when a schema has subscriptions; ours feed themselves from the
    // database's notifications (modules/live), so this one carries nothing.
    pubSub: createPubSub(),
  });
  for (const [typeName, fields] of Object.entries(perFeatureResolvers)) {
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`schema has no object type ${typeName}`);
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = type.getFields()[fieldName];
      if (!field) throw new Error(`schema has no field ${typeName}.${fieldName}`);
      field.resolve = resolve;
    }
  }
  return schema;
}

/** The schema as SDL, sorted so that the committed schema/schema.graphql diffs cleanly. */
export async function schemaSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
