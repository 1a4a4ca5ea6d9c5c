import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

import { QUEUE_NAMES } from '../../src/queues/queue-names.js';
import { createGdprClient } from '../../src/requests/gdpr-client.js';
import type { GdprClient } from '../../src/requests/gdpr-client-types.js';
import type { RequestRecord } from '../../src/requests/request-record.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import type { StreamCallEvent } from '../../src/stream/stream-types.js';
import {
  startWorkers,
  type WorkersHandle,
} from '../../workers/start-workers.js';
import {
  batchTotals,
  callsByEndpoint,
  faultsByKind,
  printFigures,
  secondsSince,
} from '../support/figures.js';
import { captureLog } from '../support/log-capture.js';
import { makePopulation, split } from '../support/population.js';
import { tearDown } from '../support/tear-down.js';
import {
  STREAM_KEY,
  STREAM_SECRET,
  testConfig,
  uniquePrefix,
} from '../support/test-env.js';
import { waitForAll } from '../support/wait-all.js';

/** Seed of the sandbox's fault PRNG; a failing run replays with it. */
const FAULT_SEED = 20_261_203;
const FAULTS = {
  http500: 0.08,
  http502Html: 0.04,
  http429Json: 0.035,
  http429Text: 0.035,
  hang: 0.01,
  reset: 0.02,
};
const ERASURES = 40;
const EXPORTS = 4;

describe('fault suite: erasures and exports under every Stream fault at once', () => {
  let sandbox: Sandbox;
  let workers: WorkersHandle | undefined;
  let client: GdprClient;
  let redis: Redis;
  let exportDir: string;
  const prefix = uniquePrefix('faults');

  beforeAll(async () => {
    exportDir = await mkdtemp(join(tmpdir(), 'gdpr-faults-'));
    redis = new Redis('redis://127.0.0.1:6379');
  });

  afterAll(() =>
    tearDown([workers, client, sandbox], { redis, prefix, dir: exportDir }),
  );

  // Well over what the run needs (about a minute on 2 cores), so a slow
  // CI machine fails on an assertion rather than on the clock.
  it('completes every request, hard-erases every subject and never classifies a transient fault as permanent', async () => {
    const erased = makePopulation(5000, 500);
    const exported = makePopulation(EXPORTS * 5, 0);
    sandbox = await startSandbox({
      apiKey: STREAM_KEY,
      apiSecret: STREAM_SECRET,
      taskDurationMs: 30,
      // One-second windows: a JSON 429 pauses its endpoint until the
      // window's reset, which with Stream's one-minute windows would stretch
      // this run to hours at a 3.5% 429 rate. The pause logic is the same.
      rateLimit: { windowMs: 1000, limit: 1_000_000 },
      seed: {
        users: [...(erased.seed.users ?? []), ...(exported.seed.users ?? [])],
        channels: erased.seed.channels ?? [],
      },
    });
    const config = testConfig({
      prefix,
      streamUrl: sandbox.url,
      exportDir,
    });
    const log = captureLog('warn');
    const streamEvents: StreamCallEvent[] = [];
    workers = await startWorkers({
      config,
      logger: log.logger,
      onStreamCall: (event) => streamEvents.push(event),
    });
    client = createGdprClient({ redis: 'redis://127.0.0.1:6379', prefix });
    sandbox.faults.setProbabilities(FAULTS, { seed: FAULT_SEED });
    const started = Date.now();

    const userParts = split(erased.userIds, ERASURES);
    const channelParts = split(erased.channelCids, ERASURES);
    const ids: string[] = [];
    for (let n = 0; n < ERASURES; n += 1) {
      const { requestId } = await client.requestErasure({
        userIds: userParts[n]!,
        channelCids: channelParts[n]!,
      });
      ids.push(requestId);
    }
    for (const userIds of split(exported.userIds, EXPORTS)) {
      ids.push((await client.requestExport({ userIds })).requestId);
    }

    const records: RequestRecord[] = await waitForAll(client, ids, 120_000);
    const duration = secondsSince(started);
    sandbox.faults.clear();

    const notCompleted = records.filter((r) => r.status !== 'completed');
    expect(notCompleted.map((r) => [r.status, r.error])).toEqual([]);
    const failedBatches = records.flatMap((r) =>
      r.batches.filter((b) => b.status !== 'completed'),
    );
    expect(failedBatches).toEqual([]);
    expect(records.flatMap((r) => r.failures)).toEqual([]);
    for (const record of records.filter((r) => r.kind === 'erasure')) {
      expect(record.verification).toMatchObject({ passed: true });
    }
    for (const record of records.filter((r) => r.kind === 'export')) {
      expect(record.artifacts?.files.length).toBeGreaterThan(0);
    }

    const stillPresent = erased.userIds.filter(
      (id) => sandbox.state.user(id) !== undefined,
    );
    expect(stillPresent).toEqual([]);
    const channelsLeft = erased.channelCids.filter(
      (cid) => sandbox.state.channel(cid)?.hardDeleted === false,
    );
    expect(channelsLeft).toEqual([]);

    // A final failure is what BullMQ keeps in a queue's failed set (an
    // UnrecoverableError or spent attempts); retried attempts never land there.
    const connection = new Redis('redis://127.0.0.1:6379', {
      maxRetriesPerRequest: null,
    });
    const finalFailures: Record<string, number> = {};
    for (const name of Object.values(QUEUE_NAMES)) {
      const queue = new Queue(name, { connection, prefix });
      finalFailures[name] = await queue.getFailedCount();
      await queue.close();
    }
    connection.disconnect();
    expect(Object.values(finalFailures).every((count) => count === 0)).toBe(
      true,
    );
    const finalErrors = log
      .records()
      .filter((line) => Number(line['level']) >= 50);
    expect(finalErrors.map((line) => line['msg'])).toEqual([]);

    const retryReasons: Record<string, number> = {};
    for (const line of log.records()) {
      const reason = line['reason'] as { code?: string } | undefined;
      if (
        typeof line['msg'] === 'string' &&
        line['msg'].includes('will retry')
      ) {
        const code = reason?.code ?? 'unknown';
        retryReasons[code] = (retryReasons[code] ?? 0) + 1;
      }
    }
    const calls = sandbox.calls;
    const totals = batchTotals(records);
    printFigures('faults', {
      faultSeed: FAULT_SEED,
      faultProbabilities: FAULTS,
      requests: { erasure: ERASURES, export: EXPORTS },
      subjects: {
        users: erased.userIds.length + exported.userIds.length,
        channels: erased.channelCids.length,
      },
      batches: totals.batches,
      streamCalls: calls.length,
      streamCallsByEndpoint: callsByEndpoint(calls),
      clientHttpAttempts: streamEvents.length,
      faultsInjected: faultsByKind(calls),
      faultsInjectedTotal: calls.filter((c) => c.fault).length,
      retriedAttempts: totals.extraAttempts,
      retriedAttemptsByReason: retryReasons,
      rateLimitPauses: calls.filter((c) => c.status === 429).length,
      reconciledAfterLostAnswer: totals.reconciliations,
      resubmissionsAfterLostAnswer: totals.resubmissions,
      finalFailures: 0,
      completed: records.length,
      durationSeconds: duration,
    });
  }, 180_000);
});
