import path from 'node:path';

import type { StreamTask } from '../stream/stream-types.js';
import type { BatchRun } from './batch-run.js';
import {
  ensurePrivateDirectory,
  exportDirectory,
  exportFileNames,
  makePrivate,
} from './export-paths.js';
import { ExportResultError } from './pipeline-errors.js';
import { callStream } from './stream-call.js';

/**
 * Downloads a completed Export Users task's NDJSON file unchanged into the
 * request's private directory and completes the batch with its checksum.
 */
export async function downloadTaskFile(
  run: BatchRun,
  task: StreamTask,
): Promise<void> {
  const url = task.result?.url;
  if (typeof url !== 'string' || url === '') {
    throw new ExportResultError(
      'Stream export task completed without a download URL',
    );
  }

  const { ctx, outcome } = run;
  const directory = exportDirectory(ctx.config.exportDir, run.requestId);
  await ensurePrivateDirectory(directory);
  const file = exportFileNames.task(outcome.index);
  // A signed storage URL, but it can still answer 429: same budget rules.
  const written = await callStream(ctx.budget, 'downloadExport', () =>
    ctx.stream.downloadExport(url, path.join(directory, file)),
  );
  await makePrivate(written.data.path);
  await run.complete({
    artifact: {
      file,
      bytes: written.data.bytes,
      sha256: written.data.sha256,
      taskId: task.taskId,
      userCount: outcome.size,
    },
    via: 'task',
  });
}

/**
 * The synchronous Export User, for a batch of one user that Export Users
 * could not serve. Stream's JSON is stored as returned.
 */
export async function exportSingleUser(
  run: BatchRun,
  userId: string,
): Promise<void> {
  const { ctx, outcome } = run;
  const directory = exportDirectory(ctx.config.exportDir, run.requestId);
  await ensurePrivateDirectory(directory);
  const file = exportFileNames.sync(outcome.index);
  const written = await callStream(ctx.budget, 'exportUser', () =>
    ctx.stream.exportUser(userId, path.join(directory, file)),
  );
  await makePrivate(written.data.path);
  run.logger.info(
    { batchIndex: outcome.index },
    'exported the user with Export User instead of a task',
  );
  await run.complete({
    artifact: {
      file,
      bytes: written.data.bytes,
      sha256: written.data.sha256,
      userCount: 1,
    },
    via: 'sync',
  });
}
