import {
  type ChildProcess,
  spawn,
  type SpawnOptions,
} from 'node:child_process';
import { openSync } from 'node:fs';

/**
 * Every child the bench starts, so that an exit, a crash or Ctrl-C never
 * leaves a worker, a script or a redis-server running behind it.
 */
const live = new Set<ChildProcess>();

export interface TrackedSpawnOptions {
  readonly env: NodeJS.ProcessEnv;
  /** File that receives the child's stderr, and stdout unless piped. */
  readonly logFile: string;
  /** Pipe stdout back to the bench instead of the log file. */
  readonly pipeStdout?: boolean;
}

/** Spawns a child that `killAllChildren` will find. */
export function spawnTracked(
  command: string,
  args: readonly string[],
  options: TrackedSpawnOptions,
): ChildProcess {
  // A file descriptor, not a pipe: the child's logging then costs the
  // bench's event loop nothing while it measures.
  const log = openSync(options.logFile, 'a');
  const spawnOptions: SpawnOptions = {
    env: options.env,
    stdio: ['ignore', options.pipeStdout === true ? 'pipe' : log, log],
  };
  const child = spawn(command, args, spawnOptions);
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves with the exit code (or signal) once the child has exited. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (hasExited(child)) {
    return Promise.resolve(child.exitCode ?? child.signalCode ?? 'unknown');
  }

  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', () => resolve('spawn-error'));
  });
}

/**
 * SIGTERM, then SIGKILL once `graceMs` passed. Graceful first so that a
 * worker under `--cpu-prof` writes its profile.
 */
export async function stopChild(
  child: ChildProcess,
  graceMs = 10_000,
): Promise<void> {
  if (hasExited(child)) return;
  const done = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await done;
  } finally {
    clearTimeout(timer);
  }
}

/** Synchronous, for `exit` handlers: SIGKILL whatever is still running. */
export function killAllChildren(): void {
  for (const child of live) {
    if (!hasExited(child)) child.kill('SIGKILL');
  }
}
