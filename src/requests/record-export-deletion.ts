import { LuaScript } from './lua-script.js';
import type { RecordStore } from './record-store.js';
import type { ExportArtifacts } from './request-record.js';
import { TERMINAL_STATUSES } from './request-record.js';

/**
 * Meta field set, once, when an export's files start being deleted. From
 * then on a failed batch of the request is not reopened (the reopen
 * script in record-scripts.ts reads this field by name).
 */
export const EXPORT_DELETION_FIELD = 'exportDeletionAt';

/** What `beginExportDeletion` found. */
export type DeletionStart =
  /** No record (it expired): delete the files, record nothing. */
  | 'missing'
  /** The request was reopened since the job's round concluded: keep. */
  | 'superseded'
  /** The request is concluded in the job's round, and now marked. */
  | 'begun';

/**
 * KEYS: meta
 * ARGV: round ('' = any), terminal statuses (comma list), field, nowIso
 */
const beginExportDeletionScript = new LuaScript(`
local meta = redis.call('HMGET', KEYS[1], 'status', 'round')
if not meta[1] then return 'missing' end
if ARGV[1] ~= '' and (meta[2] or '0') ~= ARGV[1] then return 'superseded' end
local terminal = false
for s in string.gmatch(ARGV[2], '[^,]+') do
  if s == meta[1] then terminal = true end
end
if not terminal then return 'superseded' end
redis.call('HSETNX', KEYS[1], ARGV[3], ARGV[4])
return 'begun'
`);

/**
 * Decides, in one step with the reopening of a batch, whether the export
 * files of the conclusion of `round` may go: only while the request is
 * still concluded in that round. Marks the record so that it is not
 * reopened afterwards. `round` is undefined for a job queued before
 * rounds were tracked: any round then, as long as the request is
 * concluded. Safe to repeat.
 */
export async function beginExportDeletion(
  store: RecordStore,
  requestId: string,
  round: number | undefined,
): Promise<DeletionStart> {
  const result = await beginExportDeletionScript.run(
    store.redis,
    [store.keys(requestId).meta],
    [
      round === undefined ? '' : String(round),
      TERMINAL_STATUSES.join(','),
      EXPORT_DELETION_FIELD,
      new Date().toISOString(),
    ],
  );
  return result as DeletionStart;
}

/**
 * Records on a marked request (see `beginExportDeletion`) that its files
 * are gone: `deletedAt` on the artifacts and an `export_deleted` event.
 * Artifacts already showing a deletion are left as they are.
 */
export async function recordExportDeleted(
  store: RecordStore,
  requestId: string,
): Promise<void> {
  const json = await store.redis.hget(store.keys(requestId).meta, 'artifacts');
  const artifacts = json ? (JSON.parse(json) as ExportArtifacts) : undefined;
  if (artifacts?.deletedAt !== undefined) return;
  if (artifacts !== undefined) {
    const updated = { ...artifacts, deletedAt: new Date().toISOString() };
    await store.setMeta(requestId, { artifacts: JSON.stringify(updated) });
  }

  await store.addEvent(requestId, 'export_deleted');
}
