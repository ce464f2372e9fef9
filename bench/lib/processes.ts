import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A server process started by the bench, stopped at the end. */
export interface Started {
  child: ChildProcess;
  base: string;
  log: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `POST base/graphql {__typename}` answers 200, or throws with the log. */
async function ready(base: string, child: ChildProcess, log: string, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${base}: the process exited (${child.exitCode}):\n${fs.readFileSync(log, 'utf8').slice(-3000)}`);
    try {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  throw new Error(`${base} did not answer within ${seconds} s:\n${fs.readFileSync(log, 'utf8').slice(-3000)}`);
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, port: number, name: string): { child: ChildProcess; base: string; log: string } {
  const log = path.join(os.tmpdir(), `kbs-bench-${name}.log`);
  const out = fs.openSync(log, 'w');
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', out, out] });
  return { child, base: `http://127.0.0.1:${port}`, log };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  for (let i = 0; i < 50 && child.exitCode === null; i++) await sleep(100);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** The API as `npm start` runs it (dist/src/main.js, production), on `databaseUrl` or the embedded database. */
export async function startApi(root: string, port: number, env: NodeJS.ProcessEnv, name = 'api', readySeconds = 120): Promise<Started> {
  // BENCH_API_NODE_FLAGS: flags for the API's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const flags = (process.env.BENCH_API_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const s = start(process.execPath, [...flags, path.join(root, 'dist/src/main.js')], { ...process.env, NODE_ENV: 'production', PORT: String(port), ...env }, root, port, name);
  await ready(s.base, s.child, s.log, readySeconds);
  return { ...s, stop: () => stopChild(s.child) };
}

/** The bare Apollo Server 5 + Express 5 of bench/bare-apollo.ts: the fixed-cost baseline. */
export async function startBareApollo(root: string, port: number): Promise<Started> {
  const s = start(process.execPath, [path.join(root, 'dist/bench/bare-apollo.js')], { ...process.env, NODE_ENV: 'production', PORT: String(port) }, root, port, 'bare-apollo');
  await ready(s.base, s.child, s.log, 30);
  return { ...s, stop: () => stopChild(s.child) };
}

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  new Promise<void>((resolve, reject) =>
    execFile(cmd, args, { cwd, env, maxBuffer: 1 << 26 }, (err, _o, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve())),
  );

/**
 * PostGraphile v5, the peer a municipality would pick instead, installed for the bench only (it
 * needs Node 22, which the `node` package of the npm registry brings) into BENCH_PEER_DIR, and run
 * over the views of bench/peer/pgl.sql on the same database.
 */
export async function startPeer(root: string, databaseUrl: string, port: number): Promise<Started> {
  const dir = process.env.BENCH_PEER_DIR ?? path.join(os.tmpdir(), 'kbs-bench-peer');
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ['package.json', 'graphile.config.mjs']) fs.copyFileSync(path.join(root, 'bench/peer', f), path.join(dir, f));
  if (!fs.existsSync(path.join(dir, 'node_modules/postgraphile'))) {
    console.log(`[bench] installing PostGraphile 5 and Node 22 for the comparison into ${dir} (once)`);
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  }
  const node22 = path.join(dir, 'node_modules/.bin/node');
  const s = start(node22, [path.join(dir, 'node_modules/postgraphile/dist/cli-run.js'), '-C', 'graphile.config.mjs'],
    { ...process.env, PEER_DATABASE_URL: databaseUrl, PEER_PORT: String(port), NODE_ENV: 'production' }, dir, port, 'postgraphile');
  await ready(s.base, s.child, s.log, 120);
  return { ...s, stop: () => stopChild(s.child) };
}
