export { AuditResolver } from './audit.resolver';
export { auditActor, recordAudit, type AuditChange } from './audit.service';
export { AuditRepository, type AuditActor } from './audit.repository';
export { AuditEntry } from './audit.type';
