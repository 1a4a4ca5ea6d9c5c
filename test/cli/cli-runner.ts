import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, as users run it; `npm test` builds before jest. */
export const BIN = fileURLToPath(
  new URL('../../bin/stream-gdpr.js', import.meta.url),
);

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/**
 * A clean environment: only PATH and HOME from ours, so a developer's own
 * STREAM_* or QUEUE_PREFIX can never reach the CLI under test.
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    ...extra,
  };
}

/** Runs the CLI to completion and collects its output. */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = cliEnv(),
  timeoutMs = 20_000,
): Promise<CliResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { env });
  const output = collect(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`CLI ${args.join(' ')} did not exit in ${timeoutMs} ms`),
      );
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...output(), durationMs: Date.now() - started });
    });
  });
}

/** A long-running CLI process (demo, sandbox) the test drives. */
export interface CliProcess {
  readonly child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves once stdout matches, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process has ended. */
  exited(timeoutMs: number): Promise<number | null>;
}

export function startCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env });
  const output = collect(child);
  const closed = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
  });

  return {
    child,
    output,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output().stdout.match(pattern);
          if (!match) return false;
          cleanup();
          resolve(match);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `stdout never matched ${pattern}:\n${output().stdout}\n${output().stderr}`,
            ),
          );
        }, timeoutMs);
        const onData = () => check();
        const onClose = () => {
          if (check()) return;
          cleanup();
          reject(
            new Error(`CLI exited before ${pattern}:\n${output().stderr}`),
          );
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.off('close', onClose);
        };
        child.stdout?.on('data', onData);
        child.once('close', onClose);
        check();
      }),
    exited: (timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`CLI did not exit in ${timeoutMs} ms`));
        }, timeoutMs);
        void closed.then((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      }),
  };
}

function collect(
  child: ChildProcess,
): () => { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return () => ({ stdout, stderr });
}
