export { NeighbourhoodResolver } from './neighbourhood.resolver';
export { createNeighbourhoodLoaders, type NeighbourhoodLoaders } from './neighbourhood.loaders';
export { NeighbourhoodRepository } from './neighbourhood.repository';
export { neighbourhoodGeometry } from './neighbourhood.service';
export { Neighbourhood, NeighbourhoodConnection, NeighbourhoodFilter } from './neighbourhood.type';
export { neighbourhoodOfResolvers } from './neighbourhood-of.resolver';
export { NeighbourhoodInputs, NeighbourhoodMutationResolver } from './neighbourhood.mutations';
