import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import type {
  BatchOutcome,
  ExportArtifact,
  ExportArtifacts,
} from '../requests/request-record.js';
import {
  ensurePrivateDirectory,
  exportDirectory,
  exportFileNames,
  makePrivate,
} from './export-paths.js';
import type { PipelineContext } from './pipeline-context.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Writes `manifest.json` beside the export files: the request id, when it
 * was generated, and per file the user ids it covers, its size, SHA-256
 * and Stream task id. Returns the artifacts summary kept in the record
 * (which holds no user ids: the record's subjects already do).
 *
 * The manifest keeps the real user ids even with RECORD_PSEUDONYMISE: it
 * is part of the access-request deliverable, stored with the exported data
 * under the same file permissions and deleted with it after
 * EXPORT_RETENTION_DAYS. It must therefore be written before the record's
 * subjects are sealed (finalize does), since afterwards the record's lists
 * hold fingerprints.
 */
export async function writeExportManifest(
  ctx: PipelineContext,
  requestId: string,
  batches: readonly BatchOutcome[],
): Promise<ExportArtifacts> {
  const directory = exportDirectory(ctx.config.exportDir, requestId);
  await ensurePrivateDirectory(directory);
  const files: (ExportArtifact & { userIds: string[] })[] = [];
  for (const batch of batches) {
    const { artifact, split } = batch;
    if (batch.status !== 'completed') continue;
    if (artifact === undefined && split === undefined) continue;
    const userIds = await ctx.store.readIds(
      requestId,
      'users',
      batch.offset ?? 0,
      batch.size,
    );
    if (artifact !== undefined) files.push({ ...artifact, userIds });
    for (const { position, ...file } of split?.files ?? []) {
      files.push({ ...file, userIds: userIds.slice(position, position + 1) });
    }
  }

  const generatedAt = new Date();
  const manifest = {
    requestId,
    generatedAt: generatedAt.toISOString(),
    files: files.map((file) => ({
      file: file.file,
      userIds: file.userIds,
      bytes: file.bytes,
      sha256: file.sha256,
      ...(file.taskId === undefined ? {} : { taskId: file.taskId }),
    })),
  };
  const manifestPath = path.join(directory, exportFileNames.manifest);
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: 0o600,
  });
  await makePrivate(manifestPath);

  const expiresAt = new Date(
    generatedAt.getTime() + ctx.config.retention.exportDays * DAY,
  );
  return {
    directory,
    manifest: exportFileNames.manifest,
    files: files.map(({ userIds: _userIds, ...artifact }) => artifact),
    expiresAt: expiresAt.toISOString(),
  };
}
