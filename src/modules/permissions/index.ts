export { accessStamp, loadAccess } from './access.service';
export { PUBLIC_ROLE } from './access.repository';
export { GrantResolver, RoleResolver } from './role.resolver';
export { RoleRepository } from './role.repository';
export { RoleEditRepository } from './role-edit.repository';
export { Grant, Role } from './role.type';
export { requireWithinOwnGrants } from './escalation';
export { startAccessEvents } from './access-events';
