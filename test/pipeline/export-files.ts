import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import type { Harness } from './pipeline-harness.js';

export interface ManifestFile {
  readonly file: string;
  readonly userIds: string[];
  readonly bytes: number;
  readonly sha256: string;
  readonly taskId?: string;
}

export interface Manifest {
  readonly requestId: string;
  readonly generatedAt: string;
  readonly files: ManifestFile[];
}

/**
 * Reads a request's `manifest.json` (itself 0600) and checks each file it
 * lists against the file on disk: mode 0600, size and SHA-256.
 */
export async function checkedManifest(
  h: Harness,
  requestId: string,
): Promise<Manifest> {
  const directory = join(h.exportDir, requestId);
  const manifestPath = join(directory, 'manifest.json');
  expect((await stat(manifestPath)).mode & 0o777).toBe(0o600);
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  for (const entry of manifest.files) {
    const path = join(directory, entry.file);
    const content = await readFile(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(content.length).toBe(entry.bytes);
    expect(createHash('sha256').update(content).digest('hex')).toBe(
      entry.sha256,
    );
  }

  return manifest;
}
