import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

/** What one load run gives: throughput and latency percentiles (ms), and the failures. */
export interface LoadResult {
  rps: number;
  mean: number;
  p50: number;
  p975: number;
  p99: number;
  errors: number;
  requests: number;
}

export interface HttpCase {
  method?: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** GraphQL POST body and headers, with a bearer token when given. */
export function graphql(query: string, variables: object = {}, token?: string): HttpCase {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return { method: 'POST', path: '/graphql', body: JSON.stringify({ query, variables }), headers };
}

/**
 * `connections` clients hitting `base` for `seconds` with the given requests in turn (autocannon:
 * keep-alive, each client waits for its answer). A GraphQL answer with `errors` counts as an error.
 */
export async function load(base: string, cases: HttpCase[], connections: number, seconds: number): Promise<LoadResult> {
  let graphqlErrors = 0;
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: cases.map((c) => ({
      method: c.method ?? 'GET',
      path: c.path,
      body: c.body,
      headers: c.headers,
      onResponse: (status: number, body: string) => {
        if (status === 200 && c.path === '/graphql' && body.includes('"errors"')) graphqlErrors++;
      },
    })),
  });
  return {
    rps: result.requests.average,
    mean: result.latency.mean,
    p50: result.latency.p50,
    p975: result.latency.p97_5,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
    requests: result.requests.total,
  };
}

/**
 * Two runs of one case as one: throughput and mean over both, the higher of their percentiles (a
 * conservative figure: the runs' own distributions are not kept), their failures added.
 */
export function combine(a: LoadResult, b: LoadResult): LoadResult {
  const requests = a.requests + b.requests;
  return {
    rps: (a.rps + b.rps) / 2,
    mean: requests ? (a.mean * a.requests + b.mean * b.requests) / requests : 0,
    p50: Math.max(a.p50, b.p50),
    p975: Math.max(a.p975, b.p975),
    p99: Math.max(a.p99, b.p99),
    errors: a.errors + b.errors,
    requests,
  };
}

/** pgbench over one SQL statement at a concurrency, with the API's session settings: transactions per second and mean latency (ms). */
export async function rawSql(url: string, sql: string, connections: number, seconds: number): Promise<{ tps: number; mean: number; p975: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbs-bench-'));
  const file = path.join(dir, 'q.sql');
  fs.writeFileSync(file, `${sql.replace(/\s+/g, ' ').trim()};\n`);
  const u = new URL(url);
  // -l: every transaction's latency (microseconds, the third field of each line), for the percentile.
  const args = ['-n', '-c', String(connections), '-j', String(Math.min(connections, 2)), '-T', String(seconds), '-f', file,
    '-l', `--log-prefix=${path.join(dir, 'tx')}`,
    '-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username), u.pathname.slice(1)];
  const out = await new Promise<string>((resolve, reject) =>
    // The session settings the API's own connections use (src/db/knex.ts), so that the baseline
    // differs from the API only by what the API adds.
    execFile('pgbench', args, { env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password), PGOPTIONS: '-c jit=off -c max_parallel_workers_per_gather=0' } }, (err, stdout, stderr) =>
      err ? reject(new Error(`pgbench failed: ${stderr || err.message}`)) : resolve(stdout),
    ),
  );
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
  const mean = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
  const latencies = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('tx.'))
    .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((line) => Number(line.split(' ')[2]) / 1000))
    .sort((a, b) => a - b);
  const p975 = latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.975))] : NaN;
  fs.rmSync(dir, { recursive: true, force: true });
  return { tps, mean, p975 };
}

/** The resident set size of a process, in MB (Linux). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** The peak resident set size of a process since it started (VmHWM), in MB (Linux). */
export function hwmMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Samples a process's RSS every half second while `during` runs; returns the result and the peak. */
export async function withPeakRss<T>(pid: number, during: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peakMb = rssMb(pid);
  const timer = setInterval(() => {
    try {
      peakMb = Math.max(peakMb, rssMb(pid));
    } catch {
      /* the process ended */
    }
  }, 500);
  try {
    return { result: await during(), peakMb };
  } finally {
    clearInterval(timer);
  }
}
