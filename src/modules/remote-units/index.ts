export { RemoteUnitResolver } from './remote-unit.resolver';
export { createRemoteUnitLoaders, type RemoteUnitLoaders } from './remote-unit.loaders';
export { REMOTE_UNIT_TABLE, RemoteUnitRepository } from './remote-unit.repository';
export { remoteUnitGeometry } from './remote-unit.service';
export { RemoteUnit, RemoteUnitConnection, RemoteUnitFilter, RemoteUnitStatus } from './remote-unit.type';
export { RemoteUnitInputs, RemoteUnitMutationResolver } from './remote-unit.mutations';
