import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { pino } from 'pino';

import { startWorkers } from '../../../workers/start-workers.js';
import { loadConfig } from '../../config/config.js';
import { createLogger } from '../../logging/logger.js';
import { createGdprClient } from '../../requests/gdpr-client.js';
import { demoSeed, startSandbox } from '../../sandbox/index.js';
import { startServer } from '../../server/start-server.js';
import { isPortFree } from '../../support/free-port.js';
import { EXIT } from '../exit-codes.js';
import { progressStyleFor } from '../follow-request.js';
import { CleanupStack } from './cleanup-stack.js';
import { formatDoneBanner, formatStartBanner } from './demo-banner.js';
import { runSampleRequests } from './demo-requests.js';
import { demoConfig, demoCredentials, demoPrefix } from './demo-settings.js';
import { deleteKeysWithPrefix, ensureRedis, hostOf } from './local-redis.js';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_HTTP_PORT = 8080;

/**
 * `stream-gdpr demo`: Redis (the configured one, or a private one), the
 * sandbox, the workers and the server, all on generated credentials and a
 * prefix of their own; two sample requests; then it waits for Ctrl-C and
 * removes everything it started. Resolves with the exit code.
 */
export async function runDemo(env: NodeJS.ProcessEnv): Promise<number> {
  const stack = new CleanupStack();
  const stopped = waitForStop(stack);
  try {
    // Ctrl-C before the samples ended still ends the demo cleanly.
    const outcome = await Promise.race([setUp(env, stack), stopped]);
    if (!outcome) return EXIT.ok;
    process.stdout.write(outcome.banner);
    await stopped;
    return outcome.ok ? EXIT.ok : EXIT.requestFailed;
  } catch (error) {
    // A Ctrl-C during set-up closes things under the steps still running;
    // their errors are the expected result of stopping, not a failure.
    if (stack.closing) {
      await stopped;
      return EXIT.ok;
    }
    await stack.closeAll();
    throw error;
  }
}

interface SetUpResult {
  readonly ok: boolean;
  readonly banner: string;
}

async function setUp(
  env: NodeJS.ProcessEnv,
  stack: CleanupStack,
): Promise<SetUpResult> {
  const credentials = demoCredentials();
  const prefix = demoPrefix();

  const redis = await ensureRedis(env['REDIS_URL'] || DEFAULT_REDIS_URL);
  await stack.add('redis-server', () => redis.close());
  // Registered after Redis so it runs before Redis goes away.
  await stack.add('demo keys', () => deleteKeysWithPrefix(redis.url, prefix));

  const exportDir = await mkdtemp(join(tmpdir(), 'stream-gdpr-demo-'));
  await stack.add('export directory', () =>
    rm(exportDir, { recursive: true, force: true }),
  );

  // Validated like every other setting before pino sees it.
  const { log } = loadConfig({ LOG_LEVEL: env['LOG_LEVEL'] || 'warn' });
  const logger = createLogger({
    level: log.level,
    destination: pino.destination(2),
  });
  const sandbox = await startSandbox({
    apiKey: credentials.streamApiKey,
    apiSecret: credentials.streamApiSecret,
    seed: demoSeed(),
    logger: logger.child({ component: 'sandbox' }),
  });
  await stack.add('sandbox', () => sandbox.close());

  const config = demoConfig({
    credentials,
    prefix,
    redisUrl: redis.url,
    streamBaseUrl: sandbox.url,
    exportDir,
    httpPort: await choosePort(env),
    env,
  });
  // Each part binds its own component; startServer binds `server`.
  const workers = await startWorkers({
    config,
    logger: logger.child({ component: 'worker' }),
    recordStreamCalls: true,
  });
  await stack.add('workers', () => workers.close());
  const server = await startServer({ config, logger });
  await stack.add('server', () => server.close());
  const client = createGdprClient({
    redis: redis.url,
    prefix,
    maxSubjectsPerRequest: config.worker.maxSubjectsPerRequest,
    logger: logger.child({ component: 'demo' }),
  });
  await stack.add('client', () => client.close());

  const endpoints = {
    redis: hostOf(redis.url),
    privateRedis: redis.private,
    prefix,
    sandboxUrl: sandbox.url,
    serverUrl: server.url,
    exportDir,
  };
  process.stdout.write(formatStartBanner(endpoints, credentials));
  const outcome = await runSampleRequests(client, progressStyleFor(false));
  return {
    ok:
      outcome.exportRecord.status === 'completed' &&
      outcome.erasureRecord.status === 'completed',
    banner: formatDoneBanner(endpoints, credentials, outcome),
  };
}

/** HTTP_PORT (default 8080) when free; otherwise any free port. */
async function choosePort(env: NodeJS.ProcessEnv): Promise<number> {
  const wanted = Number(env['HTTP_PORT'] || DEFAULT_HTTP_PORT);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65_535) return 0;
  if (wanted === 0) return 0;
  const host = env['HTTP_HOST'] || '127.0.0.1';
  return (await isPortFree(wanted, host)) ? wanted : 0;
}

/**
 * Resolves once a signal arrived and everything was cleaned up. A second
 * signal during cleanup exits at once.
 */
function waitForStop(stack: CleanupStack): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = () => {
      if (stack.closing) process.exit(EXIT.requestFailed);
      process.stdout.write('\nStopping the demo and cleaning up…\n');
      void stack.closeAll().then((failed) => {
        if (failed.length > 0) {
          process.stderr.write(`Could not clean up: ${failed.join(', ')}\n`);
        }
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
