import { ArgsType, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { connectionTypes, PageArgs } from '../../../common/pagination/connection';

export enum ImportJobState {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  REJECTED = 'REJECTED',
  FAILED = 'FAILED',
}
registerEnumType(ImportJobState, {
  name: 'ImportJobState',
  description: 'Where an import job is; SUCCEEDED, REJECTED and FAILED are final.',
  valuesConfig: {
    QUEUED: { description: 'Uploaded, waiting for an import slot of the server (KBS_IMPORTS_AT_ONCE).' },
    RUNNING: { description: 'Being read, checked and written.' },
    SUCCEEDED: { description: 'Every row was taken: written (or, in a dry run, would be). See counts.' },
    REJECTED: { description: 'The file was read and checked, and some rows were refused: nothing was written (a dry run too reports them so). See rejections; `npm run import` exits with 1 in this case.' },
    FAILED: { description: 'The import could not run (a bad file, an unknown CRS, the server stopped, …): nothing was written. See error; `npm run import` exits with 2 in this case.' },
  },
});

export enum ImportMode {
  INSERT = 'insert',
  UPSERT = 'upsert',
}
registerEnumType(ImportMode, {
  name: 'ImportMode',
  description: 'INSERT: new rows only (a row whose natural key exists is refused); UPSERT: rows whose key exists update them.',
});

@ObjectType({ description: 'How far a job has got.', simpleResolvers: true })
export class ImportJobProgress {
  @Field(() => String, { nullable: true, description: 'reading, checking, writing or done; null while queued.' })
  phase!: string | null;

  @Field(() => Int, { description: 'Rows (features, data lines) read so far.' })
  rows!: number;

  @Field(() => Float, { nullable: true, description: 'Share of the file read, 0 to 1, where the format tells it.' })
  fraction!: number | null;
}

@ObjectType({ description: "The report's counts: what was done, or in a dry run (and when rows were refused) what would be.", simpleResolvers: true })
export class ImportCounts {
  @Field(() => Int, { description: 'Rows in the file.' })
  rows!: number;

  @Field(() => Int)
  inserted!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => Int, { description: 'Rows equal to the stored feature, left alone (no new version, no audit row).' })
  unchanged!: number;

  @Field(() => Int, { description: 'Rows refused (a row may be refused for more than one reason; see rejections).' })
  rejected!: number;
}

@ObjectType({ description: 'Why a job failed.', simpleResolvers: true })
export class ImportJobError {
  @Field(() => String, { description: 'An error code as in GraphQL errors (BAD_USER_INPUT for a bad file, FORBIDDEN, CONFLICT, SERVICE_UNAVAILABLE when the server stopped, …).' })
  code!: string;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: 'A row of the file the import refused, and why.', simpleResolvers: true })
export class ImportRejection {
  id!: number;

  @Field(() => Int, { description: 'Its number in the file: 1 = the first feature or data line.' })
  row!: number;

  @Field(() => String, { description: 'The layer field (or geometry, or the natural key) at fault.' })
  field!: string;

  @Field(() => String)
  reason!: string;
}

export const { ConnectionType: ImportRejectionConnection } = connectionTypes(ImportRejection, 'ImportRejection');

@ObjectType({ description: 'An import started by an upload to POST /imports: what, by whom, how far, and its report.', simpleResolvers: true })
export class ImportJob {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: 'Names the import in the audit log: its entries have requestId "import:<importId>".' })
  importId!: string;

  @Field(() => ImportJobState)
  state!: ImportJobState;

  @Field(() => String, { description: 'The layer or register imported into (cameras, neighbourhoods, network-nodes, network-lines, remote-units, parcels, assets).' })
  layer!: string;

  @Field(() => String, { description: 'The name the client gave the file.' })
  fileName!: string;

  @Field(() => Float, { description: 'Size of the file, in bytes.' })
  fileSize!: number;

  @Field(() => ImportMode)
  mode!: ImportMode;

  @Field(() => Boolean, { description: 'A dry run reports what the import would do and writes nothing.' })
  dryRun!: boolean;

  @Field(() => GraphQLJSONObject, { description: 'The other options it was given: srid, encoding, map, set, defaults, key, wkt, x, y, table.' })
  options!: Record<string, unknown>;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  startedById!: number;

  @Field(() => String, { description: 'Username of who uploaded the file (kept as it was then).' })
  startedByUsername!: string;

  @Field(() => ImportJobProgress)
  progress!: ImportJobProgress;

  @Field(() => ImportCounts, { nullable: true, description: 'Null until the file has been checked (SUCCEEDED or REJECTED).' })
  counts!: ImportCounts | null;

  @Field(() => Boolean, { description: 'Whether the rows were written: not a dry run, and no row refused.' })
  committed!: boolean;

  @Field(() => String, { nullable: true, description: 'The format read (GeoJSON, Shapefile, CSV, …), once known.' })
  format!: string | null;

  @Field(() => String, { nullable: true, description: 'The coordinate system of the file, and how it was known.' })
  crs!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Source field -> layer field, as the import matched them.' })
  mapping!: Record<string, string> | null;

  @Field(() => [String], { description: "What the import noted about the file (dropped heights, the encoding's source, …)." })
  notes!: string[];

  @Field(() => ImportJobError, { nullable: true, description: 'Why the job FAILED.' })
  error!: ImportJobError | null;
}

export const { ConnectionType: ImportJobConnection } = connectionTypes(ImportJob, 'ImportJob');

@ArgsType()
export class ImportJobsArgs extends PageArgs {
  @Field(() => ImportJobState, { nullable: true, description: 'Only jobs in this state.' })
  state?: ImportJobState | null;
}
