import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RedisUnavailableError } from '../../src/errors/redis-unavailable-error.js';
import { createGdprClient } from '../../src/requests/gdpr-client.js';
import type { GdprClient } from '../../src/requests/gdpr-client-types.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import {
  startWorkers,
  type WorkersHandle,
} from '../../workers/start-workers.js';
import { batchTotals, printFigures, secondsSince } from '../support/figures.js';
import { captureLog } from '../support/log-capture.js';
import { pollUntil } from '../support/poll.js';
import { makePopulation, split } from '../support/population.js';
import {
  type PrivateRedis,
  startPrivateRedis,
} from '../support/private-redis.js';
import {
  STREAM_KEY,
  STREAM_SECRET,
  testConfig,
  uniquePrefix,
} from '../support/test-env.js';
import { waitForAll } from '../support/wait-all.js';

/** A producer call while Redis is down must fail within this (ms). */
const PROMPT_MS = 7000;

describe('Redis restart: a private AOF redis-server killed -9 and restarted mid-run', () => {
  let redis: PrivateRedis | undefined;
  let sandbox: Sandbox | undefined;
  let workers: WorkersHandle | undefined;
  let client: GdprClient | undefined;
  let exportDir: string;

  // BullMQ writes an `error` event nobody listens to with console.error;
  // the service's errors belong in its pino log instead.
  const consoleErrors: unknown[][] = [];
  const terminal = globalThis.console;
  const originalConsoleError = terminal.error;

  beforeAll(async () => {
    exportDir = await mkdtemp(join(tmpdir(), 'gdpr-restart-'));
    terminal.error = (...args: unknown[]) => {
      consoleErrors.push(args);
    };
  });

  afterAll(async () => {
    // Closing workers needs their Redis; a failed run may have left it down.
    if (redis && !redis.running) await redis.restart();
    await workers?.close();
    await client?.close();
    await sandbox?.close();
    await redis?.stop();
    await rm(exportDir, { recursive: true, force: true });
    terminal.error = originalConsoleError;
  });

  it('rejects producer calls promptly while Redis is down, then completes every request whose enqueue returned', async () => {
    redis = await startPrivateRedis({ appendOnly: true });
    const people = makePopulation(1000, 60);
    sandbox = await startSandbox({
      apiKey: STREAM_KEY,
      apiSecret: STREAM_SECRET,
      latencyMs: 20,
      taskDurationMs: 1500,
      seed: people.seed,
    });
    const prefix = uniquePrefix('restart');
    const config = testConfig({
      prefix,
      streamUrl: sandbox.url,
      redisUrl: redis.url,
      exportDir,
    });
    const log = captureLog('warn');
    workers = await startWorkers({ config, logger: log.logger });
    client = createGdprClient({ redis: redis.url, prefix });
    const started = Date.now();

    const userParts = split(people.userIds, 10);
    const channelParts = split(people.channelCids, 10);
    const accepted: string[] = [];
    for (let n = 0; n < 6; n += 1) {
      const input = { userIds: userParts[n]!, channelCids: channelParts[n]! };
      accepted.push((await client.requestErasure(input)).requestId);
    }
    accepted.push(
      (await client.requestExport({ userIds: userParts[9]!.slice(0, 5) }))
        .requestId,
    );

    // Kill once Stream holds tasks of ours, so some batches are mid-flight.
    await pollUntil('a task submitted to Stream', () =>
      sandbox!.state.tasks().length > 0 ? true : undefined,
    );
    await redis.kill();
    const outageStarted = Date.now();

    const refusals: { ms: number; code: string }[] = [];
    for (let n = 6; n < 9; n += 1) {
      const callStarted = Date.now();
      const error = await client
        .requestErasure({
          userIds: userParts[n]!,
          channelCids: channelParts[n]!,
        })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      const ms = Date.now() - callStarted;
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect(ms).toBeLessThan(PROMPT_MS);
      refusals.push({ ms, code: (error as RedisUnavailableError).code });
    }
    const readStarted = Date.now();
    await expect(client.getRequest(accepted[0]!)).rejects.toBeInstanceOf(
      RedisUnavailableError,
    );
    const readMs = Date.now() - readStarted;
    expect(readMs).toBeLessThan(PROMPT_MS);

    await redis.restart();
    const outageMs = Date.now() - outageStarted;
    // The producer's connection comes back on its own.
    const retried = await pollUntil(
      'the producer reconnecting',
      () =>
        client!
          .requestErasure({
            userIds: userParts[6]!,
            channelCids: channelParts[6]!,
          })
          .then(
            (result) => result.requestId,
            () => undefined,
          ),
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    accepted.push(retried);
    accepted.push(
      (
        await client.requestErasure({
          userIds: userParts[7]!,
          channelCids: channelParts[7]!,
        })
      ).requestId,
    );

    const records = await waitForAll(client, accepted, 90_000);
    expect(records.map((r) => r.status)).toEqual(
      accepted.map(() => 'completed'),
    );
    const erasedIds = [...userParts.slice(0, 8).flat()];
    expect(erasedIds.filter((id) => sandbox!.state.user(id))).toEqual([]);
    // Requests refused during the outage were never stored.
    expect(
      userParts[8]!.filter((id) => sandbox!.state.user(id) === undefined),
    ).toEqual([]);

    const totals = batchTotals(records);
    printFigures('redis-restart', {
      persistence: 'appendonly yes, appendfsync always',
      acceptedBeforeKill: 7,
      refusedDuringOutage: refusals.length + 1,
      refusalMs: [...refusals.map((r) => r.ms), readMs],
      refusalCode: refusals[0]?.code,
      outageSeconds: Math.round(outageMs / 100) / 10,
      acceptedAfterRestart: 2,
      completed: records.length,
      lost: accepted.length - records.length,
      batches: totals.batches,
      extraAttempts: totals.extraAttempts,
      resubmissionsAfterRestart: totals.resubmissions,
      durationSeconds: secondsSince(started),
    });
  }, 150_000);

  it('reports the outage through the logger only, never console.error (every BullMQ Queue has an error listener)', () => {
    const sample = consoleErrors[0]?.[0] as { code?: string } | undefined;
    expect({
      calls: consoleErrors.length,
      sample: sample?.code,
    }).toEqual({
      calls: 0,
      sample: undefined,
    });
  });
});
