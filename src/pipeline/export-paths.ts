import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where a request's export files go: `EXPORT_DIR/<requestId>/`, readable
 * only by the service's user. Files are named after batches, never after
 * user ids, so a directory listing reveals nobody.
 */
export function exportDirectory(exportDir: string, requestId: string): string {
  return path.resolve(exportDir, requestId);
}

export const exportFileNames = {
  task: (batchIndex: number) => `users-${batchIndex}.ndjson`,
  sync: (batchIndex: number) => `user-${batchIndex}.json`,
  /** One user of a batch exported user by user, named by position. */
  splitUser: (batchIndex: number, position: number) =>
    `user-${batchIndex}-${position}.json`,
  /** The same user exported by an Export Users task instead (NDJSON). */
  splitUserTask: (batchIndex: number, position: number) =>
    `users-${batchIndex}-${position}.ndjson`,
  manifest: 'manifest.json',
} as const;

/** Creates the directory (and EXPORT_DIR) as 0700, whatever the umask. */
export async function ensurePrivateDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await chmod(directory, 0o700);
}

/** Makes a written file 0600, whatever the umask. */
export async function makePrivate(file: string): Promise<void> {
  await chmod(file, 0o600);
}
