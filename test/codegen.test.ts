import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, print } from 'graphql';
import { startTestApp, type TestApp } from './helpers/app';

/**
 * The README's code generation (examples/codegen/codegen.ts): GraphQL Code Generator reads the
 * schema from the test server's SDL endpoint with a token, writes the types of the example
 * operation, and the project's TypeScript type-checks the example client against them (and
 * refuses it once it misuses them). Async child processes: the server answers from this process.
 */
const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', 'codegen');
// What `npx graphql-codegen` runs.
const CODEGEN_BIN = path.join(ROOT, 'node_modules', '@graphql-codegen', 'cli', 'esm', 'bin.js');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let app: TestApp;
let dir: string;

beforeAll(async () => {
  app = await startTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbs-codegen-'));
  // The example client as a project of its own would have it: @types/geojson and TypeScript in its node_modules.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.copyFileSync(path.join(EXAMPLE, 'cameras.ts'), path.join(dir, 'cameras.ts'));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'preserve', moduleResolution: 'bundler', lib: ['ES2022'], types: [] },
      include: ['*.ts', 'generated/*.ts'],
    }),
  );
});

afterAll(async () => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await app?.close();
});

/** tsc over the temporary project: its exit code and what it printed. */
async function typecheck(): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.json')], { cwd: dir });
    return { code: 0, output: stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('code generation from the SDL endpoint (examples/codegen)', () => {
  it("types the README's Apollo Client query: the example's operation is the recipe's", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const recipe = /<!-- recipe: apollo-client -->\s*\n```js\n[\s\S]*?gql`([\s\S]*?)`/.exec(readme);
    expect(recipe).not.toBeNull();
    expect(print(parse(fs.readFileSync(path.join(EXAMPLE, 'cameras.graphql'), 'utf8')))).toBe(print(parse(recipe![1])));
  });

  it('generates the operation types with the scalars mapped, and the example client type-checks against them', async () => {
    const out = path.join(dir, 'generated', 'graphql.ts');
    await run(process.execPath, [CODEGEN_BIN, '--config', path.join(EXAMPLE, 'codegen.ts'), '--silent'], {
      cwd: ROOT,
      env: { ...process.env, KBS_API: app.url, KBS_TOKEN: app.admin.token, KBS_CODEGEN_OUT: out },
    });
    const generated = fs.readFileSync(out, 'utf8');
    // The README operation's result type, with geometry as GeoJSON and the status enum as a union.
    expect(generated).toMatch(/export type NearCentreQuery = \{ cameras: \{ edges: Array<\{ distanceMeters: number \| null, node: \{ id: string, name: string, status: CameraStatus, geometry: import\('geojson'\)\.Geometry \} \}> \} \};/);
    expect(generated).toMatch(/export type CameraStatus =\s+\| 'ACTIVE'/);

    expect(await typecheck()).toEqual({ code: 0, output: '' });

    // The same client misusing the types: a Geometry is not a Point until its type is checked, a
    // field the operation did not select is not there, and the enum has no such value.
    fs.appendFileSync(
      path.join(dir, 'cameras.ts'),
      [
        "import type { Point } from 'geojson';",
        'export const first = (data: NearCentreQuery): Point => data.cameras.edges[0].node.geometry;',
        'export const code = (data: NearCentreQuery) => data.cameras.edges[0].node.code;',
        "export const broken = (data: NearCentreQuery) => data.cameras.edges.filter((e) => e.node.status === 'BROKEN');",
        '',
      ].join('\n'),
    );
    const refused = await typecheck();
    expect(refused.code).not.toBe(0);
    const errors = refused.output.split('\n').filter((l) => /error TS\d+/.test(l));
    expect(errors).toEqual([
      expect.stringMatching(/cameras\.ts\(\d+,\d+\): error TS2322: Type 'Geometry' is not assignable to type 'Point'/),
      expect.stringMatching(/cameras\.ts\(\d+,\d+\): error TS2339: Property 'code' does not exist/),
      expect.stringMatching(/cameras\.ts\(\d+,\d+\): error TS2367: This comparison appears to be unintentional because the types 'CameraStatus' and '"BROKEN"' have no overlap/),
    ]);
  }, 60_000);
});
