import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { type ChildHandle, spawnChild } from './child-process.js';

/** The built worker entry; `npm test` builds it first. */
export const WORKER_MAIN = join(process.cwd(), 'dist', 'workers', 'main.js');

/** Throws a message that says how to fix it when the build is missing. */
export function requireBuiltWorker(): string {
  if (!existsSync(WORKER_MAIN)) {
    throw new Error(`${WORKER_MAIN} is missing: run \`npm run build\` first`);
  }

  return WORKER_MAIN;
}

/**
 * A fleet of `node dist/workers/main.js` processes that a test can kill
 * (SIGKILL, no graceful shutdown) and replace one by one. Each process
 * logs to its own file in `logDir`.
 */
export class WorkerFleet {
  readonly #env: NodeJS.ProcessEnv;
  readonly #logDir: string;
  readonly #main: string;
  #live: ChildHandle[] = [];
  #started = 0;
  #killed = 0;

  constructor(env: Readonly<Record<string, string>>, logDir: string) {
    this.#main = requireBuiltWorker();
    this.#env = { PATH: process.env['PATH'] ?? '', ...env };
    this.#logDir = logDir;
  }

  get started(): number {
    return this.#started;
  }

  get killed(): number {
    return this.#killed;
  }

  get size(): number {
    return this.#live.length;
  }

  /** Starts one more process. */
  spawn(): ChildHandle {
    const child = spawnChild(process.execPath, [this.#main], {
      env: this.#env,
      logFile: join(this.#logDir, `worker-${this.#started}.log`),
    });
    this.#started += 1;
    this.#live.push(child);
    return child;
  }

  /** SIGKILLs the process at `index` (modulo size) and starts a new one. */
  async killAndReplace(index: number): Promise<void> {
    const victim = this.#live[index % this.#live.length];
    if (victim === undefined) return;
    this.#live = this.#live.filter((child) => child !== victim);
    await victim.kill('SIGKILL');
    this.#killed += 1;
    this.spawn();
  }

  /** Processes that died on their own (not killed by the test). */
  crashed(): ChildHandle[] {
    return this.#live.filter((child) => child.hasExited());
  }

  /** Graceful stop of every live process (SIGTERM, then SIGKILL). */
  async stop(): Promise<void> {
    const live = this.#live;
    this.#live = [];
    await Promise.all(live.map((child) => child.stop(8000)));
  }
}
