export { AuditResolver } from './audit.resolver';
export { recordAudit, type AuditChange } from './audit.service';
export { AuditEntry } from './audit.type';
