import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

import { envSchema } from '../../src/config/env-schema.js';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: { path: string; required: boolean }[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
  container_name?: string;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const { redis, worker, server, sandbox } = compose.services as Record<
  'redis' | 'worker' | 'server' | 'sandbox',
  Service
>;
const envKeys = new Set(Object.keys(envSchema.shape));
const SECRET_KEYS = [
  'STREAM_API_KEY',
  'STREAM_API_SECRET',
  'API_TOKEN',
  'DASHBOARD_USER',
  'DASHBOARD_PASSWORD',
  'WEBHOOK_SECRET',
];

describe('docker-compose.yml', () => {
  it('defines redis, worker, server and a sandbox behind a profile', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'redis',
      'sandbox',
      'server',
      'worker',
    ]);
    expect(sandbox.profiles).toEqual(['sandbox']);
    expect(worker.profiles).toBeUndefined();
    expect(server.profiles).toBeUndefined();
  });

  it('runs Redis 7 with AOF, noeviction, a ping healthcheck and a named volume', () => {
    expect(redis.image).toMatch(/^redis:7/);
    const flags = redis.command!.join(' ');
    expect(flags).toContain('--appendonly yes');
    expect(flags).toContain('--maxmemory-policy noeviction');
    expect(redis.healthcheck!.test).toEqual(['CMD', 'redis-cli', 'ping']);
    const [volume] = redis.volumes![0]!.split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('runs the worker, server and sandbox commands of the CLI from the image', () => {
    expect(worker.command).toEqual(['worker']);
    expect(server.command).toEqual(['serve']);
    expect(sandbox.command!.slice(0, 3)).toEqual(['sandbox', '--port', '3030']);
    expect(dockerfile).toContain('ENTRYPOINT ["node", "bin/stream-gdpr.js"]');
    for (const service of [worker, server, sandbox])
      expect(service.build).toBe('.');
  });

  it('starts the worker and server only once Redis is healthy', () => {
    for (const service of [worker, server]) {
      expect(service.depends_on).toEqual({
        redis: { condition: 'service_healthy' },
      });
      expect(service.environment!.REDIS_URL).toBe('redis://redis:6379');
    }
  });

  it('keeps the worker scalable: no container name and no host ports', () => {
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
  });

  it('exposes the server on 8080 on all interfaces', () => {
    expect(server.environment!.HTTP_HOST).toBe('0.0.0.0');
    expect(server.environment!.HTTP_PORT).toBe('8080');
    expect(server.ports).toEqual(['8080:8080']);
  });

  it('uses only environment keys the config schema knows, with values it accepts', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        expect(
          `${name}: ${key} ${envKeys.has(key) ? 'known' : 'unknown'}`,
        ).toBe(`${name}: ${key} known`);
        const field = envSchema.shape[key as keyof typeof envSchema.shape];
        expect(field.safeParse(value).success).toBe(true);
      }
    }
  });

  it('sets no secret: credentials come from .env only', () => {
    for (const service of Object.values(compose.services)) {
      for (const key of SECRET_KEYS) {
        expect(service.environment?.[key]).toBeUndefined();
      }
    }
    for (const service of [worker, server, sandbox]) {
      expect(service.env_file).toEqual([{ path: '.env', required: false }]);
    }
  });
});

describe('Dockerfile', () => {
  it('builds in its own stage and runs on Node 22 as the unprivileged node user', () => {
    const stages = dockerfile.match(/^FROM .+$/gm) ?? [];
    expect(stages).toEqual([
      'FROM node:22-bookworm-slim AS build',
      'FROM node:22-bookworm-slim AS runtime',
    ]);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(runtime).toContain('COPY --from=build /app/dist ./dist');
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/EXPORT_DIR=\/data\/exports/);
    expect(runtime).toContain('CMD ["start"]');
  });
});
