export { ParcelResolver } from './parcel.resolver';
export { ParcelRepository } from './parcel.repository';
export { createParcelLoaders, type ParcelLoaders } from './parcel.loaders';
export { parcelGeometry } from './parcel.service';
export { Parcel, ParcelConnection, ParcelFilter } from './parcel.type';
export { ParcelInputs, ParcelMutationResolver } from './parcel.mutations';
