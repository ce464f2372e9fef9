export { runImport, requireImportGrant, type ImportServices } from './import.service';
export { runCli, formatReport, USAGE } from './cli';
export { IMPORT_LAYERS } from './import-layers';
export type { ImportOptions, ImportReport, Rejection, ImportProgress } from './import.types';
export { ImportJobResolver } from './jobs/job.resolver';
export { createImportJobLoaders, type ImportJobLoaders } from './jobs/job.loaders';
export { ImportJobRunner, STOPPED_WHILE_RUNNING } from './jobs/job.runner';
export { importsRouter } from './jobs/upload.router';
