export { AssetFaultsResolver, FaultEventResolver, FaultResolver, StockMovementFaultResolver, VendorRepairResolver } from './fault.resolver';
export { FaultMutationResolver } from './fault.mutations';
export { createFaultLoaders, type FaultLoaders } from './fault.loaders';
export { FaultRepository, FAULT_TABLE, faultLayer } from './fault.repository';
export { faultGeometry, toQuery as faultQueryFilter } from './fault.service';
export { FAULT_TRANSITIONS } from './fault-states';
export { Fault, FaultConnection, FaultEvent, FaultFilter, FaultState, VendorRepair } from './fault.type';
