export { loadAccess } from './access.service';
export { PUBLIC_ROLE } from './access.repository';
