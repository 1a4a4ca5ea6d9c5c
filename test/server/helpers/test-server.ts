import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';

import { Redis } from 'ioredis';

import { type Config, loadConfig } from '../../../src/config/config.js';
import { createLogger } from '../../../src/logging/logger.js';
import type { RunningServer } from '../../../src/server/start-server.js';
import { loadStartServer } from './load-server.js';

export const API_TOKEN = 'test-api-token-0123456789';
export const DASHBOARD_USER = 'dpo';
export const DASHBOARD_PASSWORD = 'dashboard-password-123';

export interface TestServer {
  readonly url: string;
  readonly prefix: string;
  readonly config: Config;
  /** Every log line the server wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Fetch relative to the server with the API token set. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Stops the server and deletes every key under its prefix. */
  close(): Promise<void>;
}

/**
 * Starts the real server on a free port with a fresh key prefix. The env
 * given overrides the defaults (API token and dashboard credentials set).
 */
export async function startTestServer(
  env: Record<string, string | undefined> = {},
): Promise<TestServer> {
  const prefix = env.QUEUE_PREFIX ?? `test-${randomUUID()}`;
  const config = loadConfig({
    QUEUE_PREFIX: prefix,
    HTTP_PORT: '0',
    API_TOKEN,
    DASHBOARD_USER,
    DASHBOARD_PASSWORD,
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const startServer = await loadStartServer();
  const server: RunningServer = await startServer({ config, logger });

  return {
    url: server.url,
    prefix,
    config,
    logs,
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) {
        headers.set('authorization', `Bearer ${API_TOKEN}`);
      }
      return fetch(`${server.url}${path}`, { ...init, headers });
    },
    async close() {
      await server.close();
      await deleteKeys(config.redis.url, prefix);
    },
  };
}

/** Deletes every key under a test prefix (never anything else). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } catch {
    // A server pointed at a closed port left nothing to delete.
  } finally {
    redis.disconnect();
  }
}

/** JSON body helper for POSTs. */
export function json(body: unknown, init: RequestInit = {}): RequestInit {
  return {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}
