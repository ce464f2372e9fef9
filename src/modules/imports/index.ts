export { runImport, type ImportServices } from './import.service';
export { runCli, formatReport, USAGE } from './cli';
export { IMPORT_LAYERS } from './import-layers';
export type { ImportOptions, ImportReport, Rejection, ImportProgress } from './import.types';
