import type { SubjectNotHandledReason } from './gdpr-client-types.js';
import { LuaScript } from './lua-script.js';
import { subjectIndexBucketKey } from './record-keys.js';
import { execOrThrow, type RecordStore } from './record-store.js';

/** What one finished request did with one subject, as the index keeps it. */
export type SubjectOutcomeCode = 'done' | SubjectNotHandledReason;

/** How a subject is named in the index: keyed fingerprint or plain digest. */
export type SubjectIndexScheme = 'k' | 'd';

/** One subject of one request, about to be indexed. */
export interface SubjectIndexEntry {
  readonly scheme: SubjectIndexScheme;
  /** The subject's fingerprint or digest, 64 hex characters. */
  readonly hex: string;
  readonly outcome: SubjectOutcomeCode;
}

/**
 * Leading hex characters of a digest that pick its bucket: 16^4 = 65,536
 * hashes per scheme. A million subjects average 15 fields a bucket, well
 * under Redis's default `hash-max-listpack-entries` (128), so buckets stay
 * listpacks (a few bytes of overhead a field instead of a key each) up to
 * several million indexed subjects; past that they turn into ordinary
 * hashtables, which still hold one field per subject.
 */
const BUCKET_CHARS = 4;

/**
 * Requests remembered per subject; the oldest is dropped past it. Lookups
 * ignore requests whose record expired, and records expire oldest first.
 */
export const MAX_REQUESTS_PER_SUBJECT = 16;

const CODE_LETTERS: Record<SubjectOutcomeCode, string> = {
  done: 'd',
  not_processed: 'n',
  batch_failed: 'b',
  subject_failed: 's',
  still_listed: 'l',
};

const LETTER_CODES: ReadonlyMap<string, SubjectOutcomeCode> = new Map(
  Object.entries(CODE_LETTERS).map(([code, letter]) => [
    letter,
    code as SubjectOutcomeCode,
  ]),
);

/**
 * Adds one request's verdict to each entry's field, replacing an earlier
 * verdict of the same request (a repeated sealing) and keeping the newest
 * ARGV[3] requests. A field holds `requestId:letter` items joined by `,`
 * (request ids hold neither character). A bucket's TTL only ever grows:
 * it is the longest retention among the requests it mentions.
 * KEYS: the bucket of each entry, in order
 * ARGV: requestId, ttlSeconds, maxRequests, then field, letter per entry
 */
const appendScript = new LuaScript(`
local tag = ARGV[1] .. ':'
local ttl = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local touched = {}
for i = 1, #KEYS do
  local key = KEYS[i]
  local field = ARGV[2 + 2 * i]
  local item = tag .. ARGV[3 + 2 * i]
  if redis.call('HSETNX', key, field, item) == 0 then
    local kept = {}
    local old = redis.call('HGET', key, field)
    for each in string.gmatch(old, '[^,]+') do
      if string.sub(each, 1, #tag) ~= tag then kept[#kept + 1] = each end
    end
    kept[#kept + 1] = item
    while #kept > max do table.remove(kept, 1) end
    redis.call('HSET', key, field, table.concat(kept, ','))
  end
  touched[key] = true
end
for key in pairs(touched) do
  if redis.call('TTL', key) < ttl then redis.call('EXPIRE', key, ttl) end
end
return #KEYS
`);

function locate(prefix: string, scheme: SubjectIndexScheme, hex: string) {
  return {
    bucket: subjectIndexBucketKey(prefix, scheme, hex.slice(0, BUCKET_CHARS)),
    field: hex.slice(BUCKET_CHARS),
  };
}

/**
 * Records one request's verdict on each subject, in one script call. All
 * buckets live under the store's prefix, hash-tagged on Redis Cluster, so
 * they share a slot with the record and the script may touch them all.
 */
export async function indexSubjects(
  store: RecordStore,
  requestId: string,
  entries: readonly SubjectIndexEntry[],
  ttlSeconds: number,
): Promise<void> {
  if (entries.length === 0) return;
  const keys: string[] = [];
  const args: string[] = [
    requestId,
    String(ttlSeconds),
    String(MAX_REQUESTS_PER_SUBJECT),
  ];
  for (const { scheme, hex, outcome } of entries) {
    const { bucket, field } = locate(store.prefix, scheme, hex);
    keys.push(bucket);
    args.push(field, CODE_LETTERS[outcome]);
  }

  await appendScript.run(store.redis, keys, args);
}

/**
 * Every request id the index holds for the subjects named, with its
 * verdict; a request found under several names keeps the last one read.
 * Codes are passed through as stored, unknown ones included.
 */
export async function readSubjectIndex(
  store: RecordStore,
  names: readonly { scheme: SubjectIndexScheme; hex: string }[],
): Promise<Map<string, string>> {
  const read = store.redis.pipeline();
  for (const { scheme, hex } of names) {
    const { bucket, field } = locate(store.prefix, scheme, hex);
    read.hget(bucket, field);
  }

  const found = new Map<string, string>();
  const replies = (await execOrThrow(read)) as (string | null)[];
  for (const reply of replies) {
    if (reply === null) continue;
    for (const item of reply.split(',')) {
      const cut = item.lastIndexOf(':');
      if (cut <= 0) continue;
      const letter = item.slice(cut + 1);
      found.set(item.slice(0, cut), LETTER_CODES.get(letter) ?? letter);
    }
  }

  return found;
}
