import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { Action } from '../../common/auth/resources';
import { AppError, badInput } from '../../common/errors/app-error';
import { forbidden } from '../../common/auth/access';
import { outside, type GeoService } from '../../geo/geo.service';
import { ACCEPTED_TYPES } from '../../geo/layer-edit.service';
import { auditActor } from '../audit';
import { recogniseWkt } from './crs';
import { buildMapping, convertRow, missingRequired } from './field-mapping';
import { IMPORT_LAYERS, importReferences } from './import-layers';
import { ImportRepository, type StagedRow } from './import.repository';
import type { FeatureSource, ImportOptions, ImportProgress, ImportReport, Rejection } from './import.types';
import { openSource } from './sources';

/** "a" or "an", as the word it stands before is spoken. */
const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/** Rows sent to the staging table per statement. */
const BATCH = 1000;

/** Thrown inside a dry run's transaction to roll it back once its report is made. */
class DryRunDone extends Error {}

export interface ImportServices {
  db: Knex;
  geo: GeoService;
  /** The importer's grants, as loaded for a request. */
  access: Access;
}

/**
 * Imports a file into a layer, all or nothing: every row is read, mapped to the layer's fields and
 * checked as the create and update mutations check their input (types and ranges, sensitive
 * fields, geometry by PostGIS, the importer's grants by area and directorate), then, when no row
 * is refused and it is not a dry run, written in the same transaction with an audit row for each
 * (request id "import:<id>"). A dry run also writes, then rolls back, so that its counts are what
 * the commit would do. Rows whose values and geometry equal the stored feature's are left alone.
 */
export async function runImport(services: ImportServices, options: ImportOptions, onProgress: (p: ImportProgress) => void = () => undefined): Promise<ImportReport> {
  const { db, geo, access } = services;
  const { layer, definition, canUpdate } = requireImportGrant(db, access, options);
  const key = options.key ?? layer.key;
  for (const f of key) if (!(f in layer.fields)) throw badInput(`--key ${f}: ${layer.plural} have no field ${f}`);

  const positionFrom = layer.positionFrom ?? [];
  const placedBy = positionFrom.length
    ? `each ${layer.what} takes the position of its ${positionFrom.join(' or ')}, or keeps its stored one`
    : undefined;
  const source = await openSource(options, placedBy);
  try {
    const srid = await sourceSrid(db, source, options);
    const sridRow = await geo.srid(db, srid.srid, 'the coordinate system');
    const domain = await geo.domain(db, sridRow);
    if (!domain && srid.srid !== 4326) {
      throw badInput(`EPSG:${srid.srid} has no recorded area of use, which the import needs to check coordinates; reproject the file (e.g. to EPSG:4326) first`);
    }
    const importId = options.importId ?? randomUUID();
    const report: ImportReport = {
      importId, layer: layer.name, format: source.format, srid: srid.srid, crs: srid.how, encoding: source.encoding,
      mapping: {}, ignored: [], rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, rejections: [],
      dryRun: options.dryRun, committed: false, notes: [...source.notes],
    };
    const rejections = new Map<number, Rejection[]>();
    const reject = (r: Rejection) => {
      const list = rejections.get(r.row);
      if (list) list.push(r);
      else rejections.set(r.row, [r]);
    };
    const keyField = key.join('+');

    const run = async (trx: Knex.Transaction) => {
      // One transaction for the whole file: the per-statement limit the server sets for requests
      // (KBS_STATEMENT_TIMEOUT_MS) is not meant for it.
      await trx.raw('SET LOCAL statement_timeout = 0');
      const repo = new ImportRepository(trx, definition, access);
      await repo.createStage();
      let mapping: ReturnType<typeof buildMapping> | undefined;
      let batch: StagedRow[] = [];
      const flush = async () => {
        for (const failed of await repo.load(batch, srid.srid)) reject({ row: failed.row, field: 'geometry', reason: failed.reason });
        batch = [];
      };
      // Features of GeoJSON and KML need not share their properties: the mapping grows with every
      // property seen (a feature without one gives it no value).
      const seen: string[] = [];
      for await (const feature of source.features()) {
        const keys = Object.keys(feature.properties);
        if (!mapping || keys.some((k) => !seen.includes(k))) {
          for (const k of keys) if (!seen.includes(k)) seen.push(k);
          mapping = buildMapping(layer, definition, access, seen, options);
        }
        report.rows++;
        const { values, problems } = convertRow(layer, mapping, feature.properties, feature.row);
        problems.forEach(reject);
        const staged: StagedRow = { row: feature.row, values, bad: problems.length > 0 };
        const g = feature.geometry;
        if (!g) {
          // Placed later from a reference or the stored feature, where the layer allows it.
          if (!positionFrom.length) {
            reject({ row: feature.row, field: 'geometry', reason: `missing: every ${layer.what} needs a geometry` });
            staged.bad = true;
          }
        } else if ('geojson' in g) {
          const { crs: _ignored, ...plain } = g.geojson as Record<string, unknown>;
          staged.geojson = JSON.stringify(plain);
        } else if ('wkb' in g) staged.wkb = g.wkb.toString('hex');
        else staged.wkt = g.wkt;
        batch.push(staged);
        if (batch.length >= BATCH) {
          await flush();
          onProgress({ phase: 'reading', rows: report.rows, fraction: source.progress() });
        }
      }
      await flush();
      report.notes = [...source.notes]; // a source learns some while it reads
      if (!mapping) throw badInput('the file holds no features');
      const missing = missingRequired(layer, mapping);
      if (missing) throw badInput(missing);
      report.mapping = Object.fromEntries(mapping.fields);
      report.ignored = mapping.ignored;
      onProgress({ phase: 'checking', rows: report.rows, fraction: 1 });

      // Geometry: the edit mutations' inspection and verdict, row by row from one statement.
      const accepted = ACCEPTED_TYPES[definition.geometryType];
      if (definition.geometryType === 'POINT') await repo.singlePartMultis('MULTIPOINT');
      if (definition.geometryType === 'LINESTRING') await repo.singlePartMultis('MULTILINESTRING');
      const badGeometry: number[] = [];
      for (const inspected of await repo.inspect(srid.srid === 4326)) {
        const problem = geo.inspectionProblem(sridRow, inspected, { types: accepted.types });
        if (problem) {
          reject({ row: inspected.row, field: 'geometry', reason: problem });
          badGeometry.push(inspected.row);
        }
      }
      await repo.markBad(badGeometry);
      const outsideRows = await repo.place(domain?.ewkb ?? null, accepted.multi);
      for (const row of outsideRows) reject({ row, field: 'geometry', reason: outside(sridRow, 'the geometry lies') });
      await repo.markBad(outsideRows);

      // References given by code ("UB-01"): the id of the row with that code, as the importer reads it.
      const references = importReferences(definition);
      for (const field of mapping.byCode) {
        const column = mapping.columns.get(field);
        if (!column) continue;
        const ref = references[field];
        const what = ref.table.replace(/_/g, ' ').replace(/s$/, '');
        for (const u of await repo.resolveCodes(column, ref)) reject({ row: u.row, field, reason: `there is no ${what} ${JSON.stringify(u.code)} (among those you may read)` });
      }

      // Keys: duplicates inside the file, then the stored features they match.
      const keyColumns = key.map((f) => mapping!.columns.get(f) ?? definition.columns[f]);
      const duplicates = await repo.keys(keyColumns, layer.foldKey);
      for (const d of duplicates) reject({ row: d.row, field: keyField, reason: `the same ${keyField} as row ${d.first} of the file` });
      await repo.markBad(duplicates.map((d) => d.row));
      await repo.match(keyColumns, layer.foldKey, !options.dryRun);
      const refusedMatches: number[] = [];
      for (const m of await repo.matched()) {
        let reason: string | undefined;
        if (options.mode === 'insert') reason = `${article(layer.what)} ${layer.what} with this ${keyField} exists already (import with --mode upsert to update it)`;
        else if (!m.readable) reason = `${article(layer.what)} ${layer.what} with this ${keyField} exists where you may not read ${layer.plural}`;
        else if (!m.updatable || !canUpdate) reason = `the ${layer.what} with this ${keyField} lies outside the area or directorate where you may update ${layer.plural}`;
        if (reason) {
          reject({ row: m.row, field: keyField, reason });
          refusedMatches.push(m.row);
        }
      }
      await repo.markBad(refusedMatches);

      // References (foreign keys) to rows the importer may read, as the edit mutations read them.
      const fieldOf = new Map([...mapping.columns].map(([f, c]) => [c, f]));
      for (const [field, column] of mapping.columns) {
        const ref = references[field];
        if (!ref) continue;
        const bad = await repo.unreadableReferences(column, ref);
        const what = ref.table.replace(/_/g, ' ').replace(/s$/, '');
        for (const b of bad) reject({ row: b.row, field, reason: `there is no ${what} ${b.id} (among those you may read)` });
        await repo.markBad(bad.map((b) => b.row));
      }
      // Position: a row without a geometry takes that of what it references, or keeps its own.
      if (positionFrom.length) {
        const references = positionFrom.filter((f) => mapping!.columns.has(f)).map((f) => ({ column: mapping!.columns.get(f)!, table: definition.references![f].table }));
        const unplaced = await repo.positions(references, accepted.multi);
        for (const row of unplaced) reject({ row, field: 'geometry', reason: `missing: a new ${layer.what} needs a geometry, ${positionFrom.map((f) => `a ${f}`).join(' or ')}` });
        await repo.markBad(unplaced);
      }
      // Unique fields besides the key (an asset's serial number): within the file and against stored features.
      const given0 = new Set(mapping.columns.values());
      const keySet = new Set(keyColumns);
      for (const columns of await repo.uniqueColumnSets()) {
        if (columns.every((c) => keySet.has(c)) && columns.length === keySet.size) continue;
        if (!columns.every((c) => given0.has(c))) continue;
        const fields = columns.map((c) => fieldOf.get(c) ?? c).join('+');
        const conflicts = await repo.uniqueConflicts(columns);
        for (const c of conflicts) {
          reject({
            row: c.row,
            field: fields,
            reason: c.first !== null ? `the same ${fields} as row ${c.first} of the file` : `another ${layer.what} has this ${fields} already`,
          });
        }
        await repo.markBad(conflicts.map((c) => c.row));
      }

      // Grants: the feature as it would be written, in the importer's create or update scope.
      const given = [...mapping.columns.values()];
      const notNull = await repo.notNullColumns(given);
      await repo.classify(given, notNull);
      const scopeField = (action: Action) => (access.grantsFor(definition.resource, action).some((g) => g.area) ? 'geometry' : 'ownerOrgUnitId');
      const outOfScope = await repo.outOfScope();
      for (const o of outOfScope) {
        const action = o.action === 'insert' ? Action.CREATE : Action.UPDATE;
        reject({
          row: o.row,
          field: scopeField(action),
          reason: `outside the area or directorate where you may ${action.toLowerCase()} ${layer.plural}`,
        });
      }
      await repo.markBad(outOfScope.map((o) => o.row));

      const counts = await repo.counts();
      report.rejections = [...rejections.values()].flat().sort((a, b) => a.row - b.row);
      report.rejected = rejections.size;
      report.inserted = counts.insert;
      report.updated = counts.update;
      report.unchanged = counts.unchanged;
      if (report.rejected > 0) throw new DryRunDone();

      onProgress({ phase: 'writing', rows: report.rows, fraction: 1 });
      const actor = auditActor({ identity: access.identity, requestId: `import:${importId}` });
      const inserts = await repo.writeInserts(given, notNull, actor);
      const updates = await repo.writeUpdates(given, notNull, actor);
      if (inserts.refused > 0 || updates.refused > 0) {
        throw forbidden(`${inserts.refused + updates.refused} ${layer.plural} would lie outside the area or directorate where you may write them; nothing was written`);
      }
      if (inserts.written !== counts.insert || updates.written !== counts.update) {
        throw new AppError('CONFLICT', `${layer.plural} changed while the import ran; nothing was written: run it again`);
      }
      if (options.dryRun) throw new DryRunDone();
    };

    try {
      await db.transaction(run);
      report.committed = true;
    } catch (err) {
      if (!(err instanceof DryRunDone)) throw err;
    }
    onProgress({ phase: 'done', rows: report.rows, fraction: 1 });
    return report;
  } finally {
    await source.close();
  }
}

/**
 * The layer of an import, when the importer may write it at all: a CREATE grant on it, or with
 * mode upsert an UPDATE grant (FORBIDDEN, or UNAUTHENTICATED for an anonymous request, otherwise).
 * Rows are checked against the grants' areas and directorates later, one by one.
 */
export function requireImportGrant(db: Knex, access: Access, options: Pick<ImportOptions, 'layer' | 'mode'>) {
  const layer = IMPORT_LAYERS[options.layer];
  if (!layer) throw badInput(`unknown layer ${options.layer}: one of ${Object.keys(IMPORT_LAYERS).join(', ')}`);
  const definition = layer.definition(db, access);
  const canCreate = access.can(definition.resource, Action.CREATE);
  const canUpdate = options.mode === 'upsert' && access.can(definition.resource, Action.UPDATE);
  if (!canCreate && !canUpdate) access.require(definition.resource, options.mode === 'upsert' ? Action.UPDATE : Action.CREATE, layer.plural);
  return { layer, definition, canUpdate };
}

/** The CRS of the coordinates: --srid, else what the file says (recognised when it is WKT), else EPSG:4326. */
async function sourceSrid(db: Knex, source: FeatureSource, options: ImportOptions): Promise<{ srid: number; how: string }> {
  if (options.srid !== undefined) return { srid: options.srid, how: `EPSG:${options.srid}, as --srid says` };
  const crs = source.crs;
  if (!crs) return { srid: 4326, how: 'EPSG:4326: the file names no CRS (give --srid otherwise)' };
  if (crs.srid !== undefined) return { srid: crs.srid, how: `EPSG:${crs.srid}, as ${crs.from} says` };
  const recognised = await recogniseWkt(db, crs.wkt!, crs.from);
  return { srid: recognised.srid, how: recognised.how };
}
