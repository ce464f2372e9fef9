export { OrgUnitResolver } from './org-unit.resolver';
export { createOrgUnitLoaders, type OrgUnitLoaders } from './org-unit.loaders';
export { OrgUnit, OrgUnitKind } from './org-unit.type';
export { ownerOrgUnitResolver } from './owner.resolver';
export { whereInUnitTree } from './org-unit.repository';
