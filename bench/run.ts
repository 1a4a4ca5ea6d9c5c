/**
 * `npm run bench`: the performance figures of issue 6, measured side by
 * side in one run on this machine, as ratios against baselines measured in
 * the same run. Starts its own redis-server and sandboxes, runs workers
 * and baselines as child processes, prints a table and writes
 * bench/results.json. Never part of `npm test`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { BenchRow, ScenarioName, ScenarioResult } from './bench-types.js';
import { BenchArgsError, parseBenchArgs } from './cli-args.js';
import { type BenchContext, progress } from './context.js';
import { killAllChildren } from './processes.js';
import { startRedisServer } from './redis-server.js';
import { idsScenario } from './scenarios/ids.js';
import { latencyScenario } from './scenarios/latency.js';
import { overheadScenario } from './scenarios/overhead.js';
import { rateScenario } from './scenarios/rate.js';
import { workersScenario } from './scenarios/workers.js';
import { describeError } from './scope.js';
import { formatTable } from './table.js';

const SCENARIOS: Record<
  ScenarioName,
  (ctx: BenchContext) => Promise<ScenarioResult>
> = {
  latency: latencyScenario,
  rate: rateScenario,
  overhead: overheadScenario,
  ids: idsScenario,
  workers: workersScenario,
};

const RESULTS_FILE = fileURLToPath(
  new URL('../../bench/results.json', import.meta.url),
);

function installExitHandlers(): void {
  process.on('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, stopping children`);
      killAllChildren();
      process.exit(130);
    });
  }

  process.on('uncaughtException', (error) => {
    console.error(`bench: crashed: ${describeError(error)}`);
    killAllChildren();
    process.exit(1);
  });
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  installExitHandlers();

  const runDir = mkdtempSync(join(tmpdir(), 'gdpr-bench-'));
  const profileDir = args.profile ? join(runDir, 'profiles') : undefined;
  if (profileDir !== undefined) mkdirSync(profileDir);
  progress(
    `${args.quick ? 'quick' : 'full'} run of ${args.only.join(', ')}; logs in ${runDir}`,
  );

  const redis = await startRedisServer(runDir);
  const ctx: BenchContext = {
    redis,
    runDir,
    quick: args.quick,
    profileDir,
    workerEnv: args.workerEnv,
  };
  const startedAt = new Date().toISOString();
  const rows: BenchRow[] = [];
  const scenarios: Record<string, unknown> = {};
  try {
    for (const name of args.only) {
      try {
        const result = await SCENARIOS[name](ctx);
        rows.push(...result.rows);
        scenarios[name] = result.details;
      } catch (error) {
        // A scenario's own rows already absorb measurement failures; this
        // is a bug in the bench itself, reported without stopping the run.
        const message = describeError(error);
        progress(`${name}: crashed (${message})`);
        rows.push({
          id: `${name}.crashed`,
          scenario: name,
          measured: 'failed',
          baseline: '—',
          ratio: undefined,
          goal: '—',
          met: undefined,
          note: message,
        });
        scenarios[name] = { error: message };
      }
    }
  } finally {
    await redis.stop();
  }

  const results = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryMB: Math.round(totalmem() / 1024 / 1024),
      node: process.version,
      redis: redis.version,
    },
    args,
    rows,
    scenarios,
  };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);

  const overrides = Object.entries(args.workerEnv);
  if (overrides.length > 0) {
    const list = overrides.map(([key, value]) => `${key}=${value}`).join(' ');
    console.log(`worker settings changed from the defaults: ${list}\n`);
  }

  console.log(formatTable(rows));
  console.log(`\nfigures written to ${RESULTS_FILE}`);
  const broken = rows.some((row) => row.measured === 'failed');
  if (broken || profileDir !== undefined) {
    console.log(
      `logs${profileDir === undefined ? '' : ' and CPU profiles'} kept in ${runDir}`,
    );
  } else {
    rmSync(runDir, { recursive: true, force: true });
  }

  return broken ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      error instanceof BenchArgsError
        ? error.message
        : `bench: ${describeError(error)}`,
    );
    killAllChildren();
    process.exit(2);
  },
);
