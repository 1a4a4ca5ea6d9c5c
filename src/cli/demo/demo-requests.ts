import type { GdprClient } from '../../requests/gdpr-client-types.js';
import type { RequestRecord } from '../../requests/request-record.js';
import { followRequest, type ProgressStyle } from '../follow-request.js';

/** Seed users whose data the sample export gathers. */
export const SAMPLE_EXPORT_USERS = ['alice', 'bob', 'carol'] as const;
/** Seed users and a group channel the sample erasure deletes. */
export const SAMPLE_ERASURE_USERS = ['judy', 'mallory'] as const;
export const SAMPLE_ERASURE_CHANNELS = ['messaging:weekend-hike'] as const;

export interface DemoOutcome {
  readonly exportRecord: RequestRecord;
  readonly erasureRecord: RequestRecord;
}

/**
 * Enqueues the sample export and erasure through the library, as the main
 * app would, then follows each to its end on stdout.
 */
export async function runSampleRequests(
  client: GdprClient,
  style: ProgressStyle,
): Promise<DemoOutcome> {
  const exported = await client.requestExport({
    userIds: [...SAMPLE_EXPORT_USERS],
  });
  const erased = await client.requestErasure({
    userIds: [...SAMPLE_ERASURE_USERS],
    channelCids: [...SAMPLE_ERASURE_CHANNELS],
  });

  process.stdout.write(
    `\nExport of ${SAMPLE_EXPORT_USERS.length} users enqueued as ${exported.requestId}\n`,
  );
  const exportRecord = await followRequest(client, exported.requestId, style);
  process.stdout.write(
    `Erasure of ${SAMPLE_ERASURE_USERS.length} users and ` +
      `${SAMPLE_ERASURE_CHANNELS.length} channel enqueued as ${erased.requestId}\n`,
  );
  const erasureRecord = await followRequest(client, erased.requestId, style);
  return { exportRecord, erasureRecord };
}
