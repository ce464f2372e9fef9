import fs from 'node:fs';
import path from 'node:path';

let root: string | undefined;

/**
 * The repository root: the nearest folder above this file whose package.json is this project's.
 * The same from src/ (tests, ts-jest) and dist/src/ (npm start).
 */
export function projectRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'kbs-graphql') return (root = dir);
    if (path.dirname(dir) === dir) throw new Error(`the kbs-graphql package.json was not found above ${__dirname}`);
  }
}

/** This package's version, from package.json. */
export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
