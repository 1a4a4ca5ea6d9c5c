import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { loadConfig } from '../../src/config/config.js';
import { createGdprClient } from '../../src/requests/gdpr-client.js';
import type { GdprClient } from '../../src/requests/gdpr-client-types.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { ServerToken } from '../../src/stream/server-token.js';
import {
  startWorkers,
  type WorkersHandle,
} from '../../workers/start-workers.js';
import { crawlDashboard } from '../support/dashboard-crawl.js';
import { printFigures } from '../support/figures.js';
import { dumpKeys, findLeaks, type ScannedText } from '../support/leak-scan.js';
import { captureLog } from '../support/log-capture.js';
import { pollUntil } from '../support/poll.js';
import { makePopulation } from '../support/population.js';
import {
  type ServerProcess,
  startServerProcess,
} from '../support/server-process.js';
import { tearDown } from '../support/tear-down.js';
import {
  API_TOKEN,
  DASHBOARD_PASSWORD,
  DASHBOARD_USER,
  STREAM_KEY,
  STREAM_SECRET,
  testEnv,
  uniquePrefix,
} from '../support/test-env.js';
import { waitForAll } from '../support/wait-all.js';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';

const WEBHOOK_SECRET = 'reliability-webhook-secret-71d0';
const REDIS_URL = 'redis://127.0.0.1:6379';
describe('no leaks: secrets and personal data stay out of logs, failures, metrics, dashboard and webhooks', () => {
  const prefix = uniquePrefix('leaks');
  const redis = new Redis(REDIS_URL);
  let dir: string;
  let sandbox: Sandbox | undefined;
  let workers: WorkersHandle | undefined;
  let server: ServerProcess | undefined;
  let receiver: WebhookReceiver | undefined;
  let client: GdprClient | undefined;

  const people = makePopulation(240, 12);
  const log = captureLog('debug');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gdpr-leaks-'));
    sandbox = await startSandbox({
      apiKey: STREAM_KEY,
      apiSecret: STREAM_SECRET,
      taskDurationMs: 30,
      // One-second windows keep a JSON 429's pause short (see faults.test.ts).
      rateLimit: { windowMs: 1000, limit: 1_000_000 },
      seed: people.seed,
    });
    receiver = await startWebhookReceiver();
    const env = testEnv({
      prefix,
      streamUrl: sandbox.url,
      exportDir: join(dir, 'exports'),
      extra: {
        LOG_LEVEL: 'debug',
        JOB_ATTEMPTS: '4',
        API_TOKEN,
        DASHBOARD_USER,
        DASHBOARD_PASSWORD,
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET,
      },
    });
    const config = loadConfig(env);
    workers = await startWorkers({ config, logger: log.logger });
    server = await startServerProcess(env, join(dir, 'server.log'));
    client = createGdprClient({ redis: REDIS_URL, prefix, logger: log.logger });
  });

  afterAll(() =>
    tearDown([server, workers, client, sandbox, receiver], {
      redis,
      prefix,
      dir,
    }),
  );

  it('shows no API secret, server JWT, API token, subject id or email anywhere outside the request record', async () => {
    if (!sandbox || !receiver || !server || !client)
      throw new Error('setup failed');
    // Failures first, so BullMQ stores failedReason and stack traces: a
    // task failure whose description quotes the batch's own cids, and one
    // of every HTTP fault kind.
    const [, second, third] = people.userIds;
    const cid = people.channelCids[3]!;
    sandbox.failNextTask(
      'deleteChannels',
      `could not delete ${cid} (channel ${cid.split(':')[1]})`,
    );
    sandbox.faults.script(
      { kind: 'http500', endpoint: 'deleteUsers' },
      { kind: 'http502Html', endpoint: 'getTask' },
      { kind: 'http429Json', endpoint: 'deleteChannels' },
      { kind: 'malformedJson', endpoint: 'queryUsers' },
      { kind: 'wrongShape', endpoint: 'exportUsers' },
      { kind: 'reset', endpoint: 'getTask' },
      { kind: 'hang', endpoint: 'queryChannels' },
    );

    const erasureBody = {
      userIds: people.userIds.slice(0, 200),
      channelCids: people.channelCids,
    };
    const viaHttp = await fetch(`${server.url}/v1/erasure-requests`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${API_TOKEN}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(erasureBody),
    });
    expect(viaHttp.status).toBe(202);
    const erasureId = ((await viaHttp.json()) as { id: string }).id;
    const exportId = (
      await client.requestExport({ userIds: people.userIds.slice(200, 230) })
    ).requestId;
    // A permanent failure: Stream refuses a new owner who is being deleted.
    const refusedId = (
      await client.requestErasure({
        userIds: [second!, third!],
        newChannelOwnerId: second!,
      })
    ).requestId;

    const ids = [erasureId, exportId, refusedId];
    const records = await waitForAll(client, ids, 60_000);
    expect(records[0]?.status).toBe('completed');
    expect(records[1]?.status).toBe('completed');
    expect(records[2]?.status).not.toBe('completed');
    await pollUntil('three webhook deliveries', () =>
      receiver!.received.length >= 3 ? true : undefined,
    );

    // What the suite looks at.
    const texts: ScannedText[] = [];
    for (const line of log.lines)
      texts.push({ source: 'worker log', text: line });

    // Allowed by design: the request record (meta hash and its id lists)
    // is the evidence a DPO reads, so it names the subjects. Everything
    // else under the prefix is scanned: BullMQ's job hashes (data, opts,
    // failedReason, stacktrace, returnvalue), job logs, event streams,
    // indexes, the rate budget and metrics keys.
    const recordKeys = ids.map((id) => `${prefix}:req:${id}`);
    const redisTexts = await dumpKeys(redis, prefix, recordKeys);
    texts.push(...redisTexts);
    const failedJobHashes = redisTexts.filter((t) =>
      t.text.includes('"failedReason"'),
    );
    expect(failedJobHashes.length).toBeGreaterThan(0);
    expect(redisTexts.some((t) => t.text.includes('"stacktrace"'))).toBe(true);

    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    texts.push({ source: '/metrics', text: await metrics.text() });

    const dashboard = await crawlDashboard(
      server.url,
      DASHBOARD_USER,
      DASHBOARD_PASSWORD,
    );
    expect(dashboard.failures).toEqual([]);
    texts.push(...dashboard.texts);

    for (const delivery of receiver.received) {
      texts.push({
        source: 'webhook',
        text: JSON.stringify(delivery.headers) + delivery.body,
      });
    }

    // Stopped first, so every line it wrote is in its log file.
    await server.stop();
    const serverLog = await readFile(server.logFile, 'utf8');
    for (const line of serverLog.split('\n')) {
      if (line !== '') texts.push({ source: 'server log', text: line });
    }

    const needles = new Map<string, string>([
      ['STREAM_API_SECRET', STREAM_SECRET],
      ['server JWT', await new ServerToken(STREAM_SECRET).get()],
      ['API_TOKEN', API_TOKEN],
      ['DASHBOARD_PASSWORD', DASHBOARD_PASSWORD],
      ['WEBHOOK_SECRET', WEBHOOK_SECRET],
    ]);
    people.userIds.forEach((id, n) => needles.set(`user id #${n}`, id));
    people.channelCids.forEach((cid, n) => {
      needles.set(`channel cid #${n}`, cid);
      needles.set(`channel id #${n}`, cid.split(':')[1]!);
    });
    people.emails.forEach((email, n) => needles.set(`email #${n}`, email));

    // `subj…u1` also hits inside `subj…u12`: either way a subject's id is
    // out, so every hit is a real leak.
    const leaks = findLeaks(texts, needles);
    const bySource: Record<string, number> = {};
    for (const text of texts) {
      const kind = text.source.split(' ')[0]!;
      bySource[kind] = (bySource[kind] ?? 0) + 1;
    }
    printFigures('no-leaks', {
      logLevel: 'debug',
      scanned: bySource,
      workerLogLines: log.lines.length,
      serverLogLines: serverLog.split('\n').filter(Boolean).length,
      redisKeysScanned: redisTexts.length,
      failedJobHashes: failedJobHashes.length,
      dashboardJobDetails: dashboard.jobDetails,
      webhookDeliveries: receiver.received.length,
      needles: needles.size,
      leaks: leaks.length,
      leakSources: [...new Set(leaks.map((leak) => leak.source))].slice(0, 20),
    });
    expect(leaks.slice(0, 20)).toEqual([]);
  }, 120_000);

  // Stream's task descriptions are free text. The scrubber replaces the
  // batch's own ids; an email address, or the id of a user outside the
  // batch, passes through into failedReason, stacktrace, logs and the
  // dashboard.
  it('keeps an email address and an unrelated id that a Stream task failure quotes out of failedReason, stack traces and logs', async () => {
    if (!sandbox || !client) throw new Error('setup failed');
    const subject = people.userIds[239]!;
    const email = people.emails[239]!;
    const other = people.userIds[235]!;
    sandbox.failNextTask(
      'deleteUsers',
      `could not delete ${subject} <${email}>: messages moved to ${other}`,
    );
    const linesBefore = log.lines.length;
    const { requestId } = await client.requestErasure({ userIds: [subject] });
    const [record] = await waitForAll(client, [requestId], 30_000);
    expect(record?.status).toBe('completed');

    const texts: ScannedText[] = log.lines
      .slice(linesBefore)
      .map((text) => ({ source: 'worker log', text }));
    texts.push(
      ...(await dumpKeys(redis, prefix, [`${prefix}:req:${requestId}`])).filter(
        (t) => t.source.includes(requestId),
      ),
    );
    const leaks = findLeaks(
      texts,
      new Map([
        ['email', email],
        ['unrelated user id', other],
        ['subject id', subject],
      ]),
    );
    expect(leaks.map((leak) => `${leak.needle} in ${leak.source}`)).toEqual([]);
  }, 60_000);
});
