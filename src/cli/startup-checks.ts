import { randomUUID } from 'node:crypto';

import { Cluster, type Redis } from 'ioredis';

import type { Config } from '../config/config.js';
import type { StreamApi } from '../stream/stream-api.js';
import { StreamHttpError } from '../stream/stream-errors.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** The outcome of one start-up safety check. */
export interface StartupCheck {
  /** Stable name, e.g. `redis.reachable`. */
  readonly name: string;
  readonly status: CheckStatus;
  readonly message: string;
  /** What to do about a warn or fail. */
  readonly fix?: string;
  /** True when the failure is that Redis or Stream cannot be reached. */
  readonly unreachable?: boolean;
}

export interface StartupCheckOptions {
  /**
   * Asks Stream whether it accepts the credentials (one GET /tasks call).
   * Off by default so a fleet of workers starting together does not spend
   * Stream's rate budget on it.
   */
  readonly streamProbe?: StreamApi;
}

/**
 * Runs the checks that decide whether the service may start: Redis reachable,
 * `maxmemory-policy noeviction` (BullMQ loses jobs otherwise), persistence on
 * (a warning: a restart would lose queued requests), Stream credentials
 * present, and, when a probe client is given, accepted by Stream. Never
 * throws; a check that cannot run reports `fail`. Callers refuse to start on
 * any `fail` and log each `warn`.
 */
export async function runStartupChecks(
  config: Config,
  redis: Redis | Cluster,
  options: StartupCheckOptions = {},
): Promise<StartupCheck[]> {
  const checks = await checkRedis(redis);
  checks.push(checkCredentials(config));
  if (options.streamProbe && hasCredentials(config)) {
    checks.push(await probeStream(options.streamProbe, config.stream.baseUrl));
  }
  return checks;
}

/** True when no check failed. */
export function startupChecksPassed(checks: readonly StartupCheck[]): boolean {
  return checks.every((check) => check.status !== 'fail');
}

async function checkRedis(redis: Redis | Cluster): Promise<StartupCheck[]> {
  try {
    await redis.ping();
  } catch {
    return [
      {
        name: 'redis.reachable',
        status: 'fail',
        message: 'Redis does not answer PING',
        fix: 'Check REDIS_URL (or REDIS_CLUSTER_NODES) and that Redis is running and reachable.',
        unreachable: true,
      },
    ];
  }

  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const checks: StartupCheck[] = [
    { name: 'redis.reachable', status: 'ok', message: 'Redis answers PING' },
  ];
  try {
    const infos = await Promise.all(nodes.map((node) => readNode(node)));
    checks.push(checkEviction(infos), checkPersistence(infos));
  } catch {
    checks.push({
      name: 'redis.settings',
      status: 'fail',
      message: 'Redis did not answer INFO',
      fix: 'Allow the INFO command for this Redis user.',
    });
  }
  return checks;
}

interface NodeSettings {
  readonly policy: string | undefined;
  readonly aof: boolean;
  /** Undefined when CONFIG is not allowed (managed Redis often renames it). */
  readonly saveRules: string | undefined;
}

async function readNode(node: Redis): Promise<NodeSettings> {
  const memory = parseInfo(await node.info('memory'));
  const persistence = parseInfo(await node.info('persistence'));
  let saveRules: string | undefined;
  try {
    const reply = (await node.config('GET', 'save')) as string[];
    saveRules = reply[1] ?? '';
  } catch {
    saveRules = undefined;
  }
  return {
    policy: memory.get('maxmemory_policy'),
    aof: persistence.get('aof_enabled') === '1',
    saveRules,
  };
}

function checkEviction(nodes: readonly NodeSettings[]): StartupCheck {
  const wrong = nodes.find((node) => node.policy !== 'noeviction');
  if (!wrong) {
    return {
      name: 'redis.maxmemory-policy',
      status: 'ok',
      message: 'maxmemory-policy is noeviction',
    };
  }
  return {
    name: 'redis.maxmemory-policy',
    status: 'fail',
    message: `maxmemory-policy is ${wrong.policy ?? 'unknown'}: Redis may evict queued jobs and request records`,
    fix:
      'Run `redis-cli config set maxmemory-policy noeviction` and set ' +
      '`maxmemory-policy noeviction` in redis.conf so it survives a restart.',
  };
}

function checkPersistence(nodes: readonly NodeSettings[]): StartupCheck {
  const unknown = nodes.some(
    (node) => !node.aof && node.saveRules === undefined,
  );
  const off = nodes.some((node) => !node.aof && node.saveRules === '');
  if (off || unknown) {
    return {
      name: 'redis.persistence',
      status: 'warn',
      message: off
        ? 'Redis persistence is off: a restart loses queued requests and records'
        : 'Redis persistence could not be read (CONFIG not allowed) and AOF is off',
      fix: 'Turn on AOF (`appendonly yes` in redis.conf) or RDB save rules.',
    };
  }
  return {
    name: 'redis.persistence',
    status: 'ok',
    message: nodes.every((node) => node.aof)
      ? 'Redis persistence is on (AOF)'
      : 'Redis persistence is on (RDB snapshots)',
  };
}

function hasCredentials(config: Config): boolean {
  return Boolean(config.stream.apiKey && config.stream.apiSecret);
}

function checkCredentials(config: Config): StartupCheck {
  if (hasCredentials(config)) {
    return {
      name: 'stream.credentials',
      status: 'ok',
      message: 'STREAM_API_KEY and STREAM_API_SECRET are set',
    };
  }
  return {
    name: 'stream.credentials',
    status: 'fail',
    message: 'Stream credentials are missing',
    fix: 'Set STREAM_API_KEY and STREAM_API_SECRET (Stream dashboard, app settings).',
  };
}

/**
 * Asks for a task that cannot exist: Stream answers 404 (code 16) once it
 * has accepted the credentials, and 401 when it rejects them.
 */
async function probeStream(
  stream: StreamApi,
  baseUrl: string,
): Promise<StartupCheck> {
  const name = 'stream.credentials-accepted';
  try {
    await stream.getTask(randomUUID());
    return {
      name,
      status: 'ok',
      message: `Stream at ${baseUrl} accepted the credentials`,
    };
  } catch (error) {
    if (error instanceof StreamHttpError) {
      if (error.status === 404 || error.streamCode === 16) {
        return {
          name,
          status: 'ok',
          message: `Stream at ${baseUrl} accepted the credentials`,
        };
      }
      if (error.status === 401 || error.status === 403) {
        return {
          name,
          status: 'fail',
          message: `Stream at ${baseUrl} rejected the credentials (HTTP ${error.status}${error.streamCode === undefined ? '' : `, code ${error.streamCode}`})`,
          fix: 'Check STREAM_API_KEY and STREAM_API_SECRET belong to the same Stream app.',
        };
      }
      return {
        name,
        status: 'warn',
        message: `Stream at ${baseUrl} answered HTTP ${error.status}; credentials not confirmed`,
      };
    }
    return {
      name,
      status: 'fail',
      message: `Stream at ${baseUrl} cannot be reached`,
      fix: 'Check STREAM_BASE_URL and the network path to Stream.',
      unreachable: true,
    };
  }
}

function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}
