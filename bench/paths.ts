import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Compiled files the bench starts as children, next to dist/bench/run.js. */
export const WORKER_MAIN = fileURLToPath(
  new URL('../workers/main.js', import.meta.url),
);
export const CUSTOMER_SCRIPT = fileURLToPath(
  new URL('./customer-script.js', import.meta.url),
);
export const NOOP_WORKER = fileURLToPath(
  new URL('./noop-worker.js', import.meta.url),
);

/** Throws a message that says what to build when a child entry is missing. */
export function requireBuilt(path: string): string {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing; run npm run build first`);
  }

  return path;
}

/**
 * The few variables a child needs from the bench's own environment. The
 * rest is left out on purpose, so a developer's WORKER_CONCURRENCY or
 * LOG_LEVEL never changes what "default settings" means.
 */
export function baseChildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }

  return env;
}
