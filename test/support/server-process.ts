import { join } from 'node:path';

import { freePort } from '../../src/support/free-port.js';
import { type ChildHandle, spawnChild } from './child-process.js';
import { pollUntil } from './poll.js';

/** The built CLI; `npm test` builds it first. */
const CLI = join(process.cwd(), 'bin', 'stream-gdpr.js');

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildHandle;
  /** Where its stdout and stderr (pino JSON lines) went. */
  readonly logFile: string;
  stop(): Promise<void>;
}

/**
 * Runs `stream-gdpr serve` in a child process on a free port and waits for
 * `/healthz`. A child, not `startServer` in the test process: the
 * dashboard's @fastify/static requires an ESM-only package
 * (content-disposition 3), which jest's module loader cannot load.
 */
export async function startServerProcess(
  env: Readonly<Record<string, string>>,
  logFile: string,
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawnChild(process.execPath, [CLI, 'serve'], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HTTP_HOST: '127.0.0.1',
      ...env,
      HTTP_PORT: String(port),
    },
    logFile,
  });
  const url = `http://127.0.0.1:${port}`;
  await pollUntil(
    'the server answering /healthz',
    async () => {
      if (child.hasExited()) {
        throw new Error(`stream-gdpr serve exited at start; see ${logFile}`);
      }
      try {
        return (await fetch(`${url}/healthz`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    },
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  return {
    url,
    child,
    logFile,
    stop: async () => {
      await child.stop(5000);
    },
  };
}
