import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A process a test started; only ever signalled by its own pid. */
export interface ChildHandle {
  readonly pid: number;
  readonly exited: Promise<ChildExit>;
  hasExited(): boolean;
  /** Sends `signal` (SIGKILL by default) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<ChildExit>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<ChildExit>;
}

export interface SpawnOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Where stdout and stderr go; discarded when omitted. */
  readonly logFile?: string;
  readonly cwd?: string;
}

/** Spawns `command`, sending its output to `logFile`. */
export function spawnChild(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildHandle {
  const child: ChildProcess = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: [
      'ignore',
      options.logFile ? 'pipe' : 'ignore',
      options.logFile ? 'pipe' : 'ignore',
    ],
  });
  // Resolves once the output is flushed to the log file, so a test that
  // reads the log after `exited` sees every line.
  let logFlushed: Promise<void> = Promise.resolve();
  if (options.logFile) {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    logFlushed = new Promise((resolve) => {
      child.once('close', () => log.end(resolve));
    });
  }

  let done = false;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      void logFlushed.then(() => resolve({ code, signal }));
    });
    child.once('error', () => {
      done = true;
      resolve({ code: null, signal: null });
    });
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!done) child.kill(signal);
    return exited;
  };
  return {
    pid,
    exited,
    hasExited: () => done,
    kill,
    async stop(graceMs = 5000) {
      if (done) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!done) child.kill('SIGKILL');
      }, graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}
