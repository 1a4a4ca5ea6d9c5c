import { join } from 'node:path';

import { baseChildEnv, requireBuilt } from './paths.js';
import { exited, spawnTracked, stopChild } from './processes.js';
import type { Scope } from './scope.js';

/**
 * Runs a bench child script that prints one JSON line on stdout and exits
 * 0; resolves with that line parsed. The scope kills it on timeout.
 */
export async function runJsonChild<T>(
  scope: Scope,
  options: {
    readonly script: string;
    readonly label: string;
    readonly runDir: string;
    readonly env: Readonly<Record<string, string>>;
  },
): Promise<T> {
  const child = spawnTracked(process.execPath, [requireBuilt(options.script)], {
    env: { ...baseChildEnv(), ...options.env },
    logFile: join(options.runDir, `${options.label}.log`),
    pipeStdout: true,
  });
  scope.defer(() => stopChild(child, 2_000));

  let stdout = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    stdout += text;
  });
  // 'exit' can come before the last stdout chunk; 'close' of the pipe cannot.
  const drained = new Promise<void>((resolve) => {
    if (child.stdout === null) resolve();
    else child.stdout.once('close', () => resolve());
  });
  const code = await exited(child);
  await drained;
  if (code !== 0) {
    throw new Error(
      `${options.label} exited with ${code}; see ${options.runDir}/${options.label}.log`,
    );
  }

  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}
