import { spawn } from 'node:child_process';

/** Ends a process of ours if we die first; see `watchForOurDeath`. */
export interface ParentDeathWatchdog {
  /** Disarms it (SIGKILL, so it signals nothing) and waits until it exited. */
  stop(): Promise<void>;
}

// Node has no PR_SET_PDEATHSIG, but the kernel closes our end of a pipe
// however we die, SIGKILL included. The shell blocks reading that pipe
// (we never write to it) and, at EOF, sends SIGTERM to the target. It
// ignores SIGINT and SIGHUP: a Ctrl-C or a closed terminal reaches the
// whole process group, and it must outlive us to do its one job.
const SCRIPT = `trap '' INT HUP; read -r _line; kill -TERM "$1" 2>/dev/null`;

/**
 * Starts a `/bin/sh` watchdog (no native code; Linux and macOS) that sends
 * `pid` SIGTERM as soon as this process is gone. Stop it once `pid` has
 * exited, so it can never signal a recycled pid.
 */
export function watchForOurDeath(pid: number): ParentDeathWatchdog {
  const child = spawn('/bin/sh', ['-c', SCRIPT, 'watchdog', String(pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Without a listener an EPIPE on a pipe it already closed would throw.
  child.stdin.on('error', () => {});

  const ended = new Promise<void>((resolve) => {
    child.once('error', () => resolve());
    child.once('exit', () => resolve());
  });
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
      await ended;
    },
  };
}
