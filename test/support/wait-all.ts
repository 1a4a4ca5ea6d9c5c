import type { GdprClient } from '../../src/requests/gdpr-client-types.js';
import type { RequestRecord } from '../../src/requests/request-record.js';

/**
 * Waits for every request to finish. On timeout the error lists each
 * unfinished request's status and unfinished batches, so a stuck run says
 * where it is stuck.
 */
export async function waitForAll(
  client: GdprClient,
  requestIds: readonly string[],
  timeoutMs: number,
): Promise<RequestRecord[]> {
  const settled = await Promise.allSettled(
    requestIds.map((id) => client.waitForRequest(id, { timeoutMs })),
  );
  if (settled.every((result) => result.status === 'fulfilled')) {
    return settled.map(
      (result) => (result as PromiseFulfilledResult<RequestRecord>).value,
    );
  }

  const stuck: string[] = [];
  for (const [index, result] of settled.entries()) {
    if (result.status === 'fulfilled') continue;
    const record = await client.getRequest(requestIds[index]!);
    const batches = (record?.batches ?? [])
      .filter((batch) => batch.status !== 'completed')
      .map((batch) =>
        JSON.stringify({
          index: batch.index,
          target: batch.target,
          status: batch.status,
          attempts: batch.attempts,
          taskId: batch.taskId,
          error: batch.error,
          resubmissions: batch.resubmissions,
        }),
      );
    stuck.push(
      `${requestIds[index]}: ${record?.status ?? 'missing'} ` +
        `(progress ${JSON.stringify(record?.progress)}) ${batches.join(' ')}`,
    );
  }

  throw new Error(
    `${stuck.length} request(s) did not finish:\n${stuck.join('\n')}`,
  );
}
