/**
 * Bundles the GraphQL IDE served at GET /graphql (GraphiQL 5 with its Monaco editor, React) into
 * dist/graphiql with esbuild: GraphiQL 5 is published as ES modules that import CSS and CommonJS
 * React, which a browser cannot load as they are, and Monaco's web workers must be files of
 * their own. Nothing is fetched from a CDN. Skipped when the bundle is already built from the same
 * sources and package versions. Run by `npm run build` and by the tests' global setup.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { graphiqlAssetsDir, IDE_FILES } from '../src/http/ide/graphiql.assets';
import { projectRoot } from '../src/http/project-root';

const BROWSER_SOURCES = path.join('src', 'http', 'ide', 'browser');
/** The packages whose code ends up in the bundle: a new version of any rebuilds it. */
const BUNDLED_PACKAGES = ['graphiql', '@graphiql/react', 'react', 'react-dom', 'monaco-editor', 'monaco-graphql', 'esbuild'];

const COMMON: BuildOptions = {
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  legalComments: 'eof',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

function versionOf(pkg: string, root: string): string {
  // Every one of them is installed at the top of node_modules (npm hoists them; none is duplicated).
  const manifest = path.join(root, 'node_modules', ...pkg.split('/'), 'package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** What the bundle is made of: the browser sources, the bundled packages' versions, the options. */
function fingerprint(root: string): string {
  const hash = createHash('sha256');
  const dir = path.join(root, BROWSER_SOURCES);
  for (const file of fs.readdirSync(dir).sort()) hash.update(file).update(fs.readFileSync(path.join(dir, file)));
  for (const pkg of BUNDLED_PACKAGES) hash.update(`${pkg}@${versionOf(pkg, root)}`);
  hash.update(JSON.stringify(COMMON)).update(JSON.stringify(IDE_FILES));
  return hash.digest('hex');
}

/** Builds the IDE bundle unless it is current; returns whether it built. */
export async function buildGraphiql(log: (message: string) => void = () => {}): Promise<boolean> {
  const root = projectRoot();
  const out = graphiqlAssetsDir();
  const stamp = path.join(out, 'build.json');
  const print = fingerprint(root);
  const built = fs.existsSync(stamp) ? (JSON.parse(fs.readFileSync(stamp, 'utf8')) as { fingerprint?: string }).fingerprint : undefined;
  if (built === print && IDE_FILES.every((f) => fs.existsSync(path.join(out, f)))) return false;

  const started = Date.now();
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const src = path.join(root, BROWSER_SOURCES);
  await Promise.all([
    build({ ...COMMON, absWorkingDir: root, entryPoints: { graphiql: path.join(src, 'graphiql.jsx') }, jsx: 'automatic', loader: { '.ttf': 'file' }, assetNames: '[name]', outdir: tmp }),
    // Monaco's workers, loaded by the page with `new Worker('/graphql/ide/<name>.worker.js')`.
    build({
      ...COMMON,
      absWorkingDir: root,
      entryPoints: {
        'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
        'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
        'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
      },
      outdir: tmp,
    }),
  ]);
  fs.writeFileSync(path.join(tmp, 'build.json'), `${JSON.stringify({ fingerprint: print, builtAt: new Date().toISOString() })}\n`);
  // Swapped in whole, so a server never serves half of one build and half of another.
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(tmp, out);
  log(`GraphiQL bundle built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${path.relative(root, out)}`);
  return true;
}

if (require.main === module) {
  buildGraphiql((m) => console.log(`[kbs] ${m}`)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
