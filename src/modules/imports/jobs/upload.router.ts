import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import express, { type Request, type Response, type Router } from 'express';
import type { Knex } from 'knex';
import type { Access } from '../../../common/auth/access';
import type { AuthSettings } from '../../../common/auth/identity';
import { AppError, badInput } from '../../../common/errors/app-error';
import { sendHttpError } from '../../../common/errors/client-error';
import { parseId } from '../../../common/ids';
import type { Logger } from '../../../logger';
import { authService } from '../../users';
import { requireImportGrant } from '../import.service';
import { importJobService, jobJson } from './job.service';
import { UPLOAD_PREFIX, type ImportJobRunner } from './job.runner';
import { parseUploadFields, safeFileName, type UploadFields } from './upload-fields';

const MB = 1024 * 1024;
const size = (bytes: number) => (bytes % MB === 0 ? `${bytes / MB} MB` : `${bytes} bytes`);

const tooLarge = (max: number) =>
  new AppError('BAD_REQUEST', `the file is larger than the ${size(max)} this server takes (KBS_IMPORT_MAX_BYTES); split it, or ask the administrator to raise the limit`, { httpStatus: 413 });

/** What an upload came to: the stored file and the fields sent before it, or why it was refused. */
interface Upload {
  fields: UploadFields;
  file?: { path: string; name: string; size: number };
  error?: unknown;
}

/**
 * POST /imports (multipart/form-data: the fields, then the file, as `file`) starts an import job
 * and answers 202 with the job and its Location; GET /imports/{id} is the job as JSON. Both take a
 * Bearer token only (never HTTP Basic, which a browser would send with a form another site posts).
 * The layer and the grant to write it are checked when the file part begins, so a refused upload is
 * never stored; the file is streamed to a folder of its own, and cut off at `maxBytes` (413).
 */
export function importsRouter(deps: { db: Knex; auth: AuthSettings; runner: ImportJobRunner; logger: Logger }): Router {
  const { db, auth, runner, logger } = deps;
  const router = express.Router();
  const fail = (res: Response, err: unknown) => sendHttpError(res, err, logger.error, 'import upload', 'graphql');

  const authenticate = async (req: Request): Promise<Access> => {
    const access = await authService.authenticate(db, auth, req.header('authorization'));
    if (access.anonymous) throw new AppError('UNAUTHENTICATED', 'log in (or send an API token) to import: POST /imports takes a Bearer token');
    return access;
  };

  router.post('/', async (req, res) => {
    // Whatever the answer, the body is read to its end first, so that the client, still sending,
    // gets it (a connection closed under a client that is writing loses the answer too).
    const answer = (send: () => void) => (req.readableEnded ? send() : (req.resume(), req.once('end', send)));
    let access: Access;
    try {
      if (!req.is('multipart/form-data')) throw badInput('send the file as multipart/form-data (curl -F layer=parcels -F file=@parcels.geojson)');
      access = await authenticate(req);
      const declared = Number(req.header('content-length'));
      // The fields take a few kilobytes at most: a body declared far larger than the limit is refused at once.
      if (declared > runner.settings.maxBytes + MB) {
        res.setHeader('connection', 'close');
        return fail(res, tooLarge(runner.settings.maxBytes));
      }
    } catch (err) {
      return answer(() => fail(res, err));
    }
    const upload = await receive(req, access, db, runner.settings);
    if (upload.error || !upload.file) {
      if (upload.file) await rm(path.dirname(upload.file.path), { recursive: true, force: true });
      return answer(() => fail(res, upload.error ?? badInput('no file was sent: add it as the form field "file", after the other fields')));
    }
    try {
      const options = parseUploadFields(upload.fields);
      const job = await importJobService.create(db, access, options, upload.file, randomUUID());
      runner.submit(job, access, options, upload.file.path);
      res.status(202).location(`/imports/${job.id}`).json(jobJson(job, []));
    } catch (err) {
      await rm(path.dirname(upload.file.path), { recursive: true, force: true });
      fail(res, err);
    }
  });

  router.get('/:id', async (req, res) => {
    try {
      const access = await authenticate(req);
      const id = parseId(req.params.id, 'id');
      const { job, rejections } = await importJobService.forJson(db, access, id);
      res.json(jobJson(job, rejections));
    } catch (err) {
      fail(res, err);
    }
  });

  return router;
}

/** Reads the form: the fields, then the file, stored unless the fields or the grants refuse it. */
function receive(req: Request, access: Access, db: Knex, settings: ImportJobRunner['settings']): Promise<Upload> {
  return new Promise((resolve) => {
    const upload: Upload = { fields: new Map() };
    const refuse = (err: unknown) => (upload.error ??= err);
    let storing: Promise<void> = Promise.resolve();
    let bb: busboy.Busboy;
    try {
      // File names as browsers and curl send them: UTF-8 (busboy reads them as Latin-1 by default).
      bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: settings.maxBytes, files: 1, fields: 100, fieldSize: 64 * 1024, parts: 101 } });
    } catch (err) {
      resolve({ ...upload, error: badInput(`the multipart body cannot be read: ${(err as Error).message}`) });
      return;
    }
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) refuse(badInput(`the field ${name} is longer than 64 KB`));
      const list = upload.fields.get(name);
      if (list) list.push(value);
      else upload.fields.set(name, [value]);
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || upload.error) {
        if (name !== 'file') refuse(badInput(`unexpected file field ${name}: send the file as "file"`));
        stream.resume();
        return;
      }
      storing = store(stream, info.filename, upload, access, db, settings).catch((err: unknown) => void refuse(err));
    });
    bb.on('filesLimit', () => refuse(badInput('send one file per import')));
    bb.on('fieldsLimit', () => refuse(badInput('too many fields')));
    bb.on('partsLimit', () => refuse(badInput('too many parts')));
    const done = () => void storing.then(() => resolve(upload));
    bb.on('close', done);
    bb.on('error', (err) => {
      refuse(badInput(`the multipart body cannot be read: ${(err as Error).message}`));
      req.unpipe(bb);
      done();
    });
    req.on('aborted', () => refuse(new AppError('BAD_REQUEST', 'the request was aborted')));
    req.pipe(bb);
  });
}

/** Checks the fields and grants, then streams the file into a folder of its own. */
async function store(stream: Readable, filename: string | undefined, upload: Upload, access: Access, db: Knex, settings: ImportJobRunner['settings']): Promise<void> {
  try {
    const options = parseUploadFields(upload.fields);
    requireImportGrant(db, access, options);
    const name = safeFileName(filename);
    const dir = await mkdtemp(path.join(settings.uploadDir ?? tmpdir(), UPLOAD_PREFIX));
    const file = path.join(dir, name);
    upload.file = { path: file, name, size: 0 };
    let truncated = false;
    stream.on('limit', () => (truncated = true));
    stream.on('data', (chunk: Buffer) => (upload.file!.size += chunk.length));
    await pipeline(stream, createWriteStream(file));
    if (truncated) throw tooLarge(settings.maxBytes);
  } catch (err) {
    stream.resume();
    throw err;
  }
}
