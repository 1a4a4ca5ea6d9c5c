import { LuaScript } from './lua-script.js';

/**
 * Creates a request atomically from staged id lists.
 * KEYS: meta, users, channels, stageUsers, stageChannels, open, queuedSet,
 *   events
 * ARGV: requestId, deadlineMs, nowMs, eventJson, field1, value1, ...
 * Returns {1} when created, {0, fingerprint, receivedAt} when it existed.
 */
export const createRequestScript = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('DEL', KEYS[4], KEYS[5])
  local existing = redis.call('HMGET', KEYS[1], 'fingerprint', 'receivedAt')
  return {0, existing[1] or '', existing[2] or ''}
end
if redis.call('EXISTS', KEYS[4]) == 1 then
  redis.call('RENAME', KEYS[4], KEYS[2])
  redis.call('PERSIST', KEYS[2])
end
if redis.call('EXISTS', KEYS[5]) == 1 then
  redis.call('RENAME', KEYS[5], KEYS[3])
  redis.call('PERSIST', KEYS[3])
end
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('ZADD', KEYS[6], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[7], ARGV[3], ARGV[1])
redis.call('RPUSH', KEYS[8], ARGV[4])
return {1}
`);

/**
 * Moves a request to another status, keeping the indexes in step.
 * KEYS: meta, open, events, then one ZSET per status in STATUS_ORDER
 * ARGV: requestId, newStatus, nowMs, nowIso, eventJson, terminal (0/1),
 *   updatesChannel, allowedFrom (comma list, '' = any), 1-based position
 *   of newStatus in STATUS_ORDER
 * Returns the status the request has afterwards.
 */
export const transitionScript = new LuaScript(`
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return false end
if current == ARGV[2] then return current end
if ARGV[8] ~= '' then
  local allowed = false
  for s in string.gmatch(ARGV[8], '[^,]+') do
    if s == current then allowed = true end
  end
  if not allowed then return current end
end
for i = 4, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
local target = KEYS[3 + tonumber(ARGV[9])]
redis.call('ZADD', target, ARGV[3], ARGV[1])
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updatedAt', ARGV[4])
if ARGV[2] == 'running' then
  redis.call('HSETNX', KEYS[1], 'startedAt', ARGV[4])
end
if ARGV[6] == '1' then
  redis.call('HSET', KEYS[1], 'finishedAt', ARGV[4])
  redis.call('ZREM', KEYS[2], ARGV[1])
end
redis.call('RPUSH', KEYS[3], ARGV[5])
redis.call('PUBLISH', ARGV[7], ARGV[1])
return ARGV[2]
`);

/**
 * Marks a batch's subjects as checked against Stream, once: sets the
 * batch's bit and adds the ids Stream still lists to the request's list
 * and count. A second check of the same batch changes nothing.
 * KEYS: verified, stillListed, meta; ARGV: batchIndex, then listed ids
 * from ARGV[FIRST_LISTED] on.
 */
const RECORD_VERIFICATION = `
local function recordVerification(verified, stillListed, meta, index, first)
  if redis.call('GETBIT', verified, index) == 1 then return 0 end
  redis.call('SETBIT', verified, index, 1)
  local count = #ARGV - first + 1
  if count > 0 then
    redis.call('RPUSH', stillListed, unpack(ARGV, first))
    redis.call('HINCRBY', meta, 'stillListedCount', count)
  end
  return 1
end
`;

/**
 * Records a batch's final outcome once and counts it as done; when the
 * batch's subjects were checked as it ended, records that check too.
 * KEYS: batches, meta, verified, stillListed
 * ARGV: batchIndex, outcomeJson, nowIso, updatesChannel, requestId,
 *   checked (0/1), then the ids Stream still lists
 * Returns {counted (0/1), done, total}.
 */
export const endBatchScript = new LuaScript(`${RECORD_VERIFICATION}
local previous = redis.call('HGET', KEYS[1], ARGV[1])
if previous then
  local status = cjson.decode(previous)['status']
  if status == 'completed' or status == 'failed' then
    local meta = redis.call('HMGET', KEYS[2], 'batchDone', 'batchTotal')
    return {0, tonumber(meta[1] or '0'), tonumber(meta[2] or '0')}
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[6] == '1' then
  recordVerification(KEYS[3], KEYS[4], KEYS[2], ARGV[1], 7)
end
local done = redis.call('HINCRBY', KEYS[2], 'batchDone', 1)
redis.call('HSET', KEYS[2], 'updatedAt', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
local total = redis.call('HGET', KEYS[2], 'batchTotal')
return {1, done, tonumber(total or '0')}
`);

/**
 * Records the check of an ended batch's subjects (see verification.ts),
 * once per batch, while the request exists.
 * KEYS: verified, stillListed, meta
 * ARGV: batchIndex, then the ids Stream still lists
 * Returns 1 when recorded, 0 when already recorded or the request is gone.
 */
export const recordVerificationScript = new LuaScript(`${RECORD_VERIFICATION}
if redis.call('EXISTS', KEYS[3]) == 0 then return 0 end
return recordVerification(KEYS[1], KEYS[2], KEYS[3], ARGV[1], 2)
`);

/**
 * Ends the sealing of a request's subjects (see record-sealing.ts): when
 * pseudonymising, swaps each list for its fingerprinted copy (an absent
 * copy means an empty list), keeping the list's TTL, then marks the record
 * sealed, in one step.
 * KEYS: meta, events, users, channels, failures, stillListed, then their
 *   sealing copies in the same order
 * ARGV: pseudonymise (0/1), eventJson ('' for none), nowIso
 * Returns 1 when sealed, 0 when the record no longer exists.
 */
export const sealSubjectsScript = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[7], KEYS[8], KEYS[9], KEYS[10])
  return 0
end
if ARGV[1] == '1' then
  for i = 3, 6 do
    local copy = KEYS[i + 4]
    if redis.call('EXISTS', copy) == 1 then
      local ttl = redis.call('PTTL', KEYS[i])
      redis.call('RENAME', copy, KEYS[i])
      if ttl > 0 then
        redis.call('PEXPIRE', KEYS[i], ttl)
      else
        redis.call('PERSIST', KEYS[i])
      end
    else
      redis.call('DEL', KEYS[i])
    end
  end
  redis.call('HSET', KEYS[1], 'pseudonymised', '1')
end
redis.call('HSET', KEYS[1], 'subjectsSealed', '1', 'updatedAt', ARGV[3])
if ARGV[2] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[2]) end
return 1
`);

/**
 * Reopens a failed batch, and its request when the request had concluded,
 * in one step (see record-reopening.ts). Every batch's check against
 * Stream is forgotten, so the request is verified afresh once the batch
 * ends. Refuses a request whose subjects were pseudonymised (its ids are
 * gone) and an export whose files retention began deleting (see
 * record-export-deletion.ts).
 * KEYS: meta, batches, events, stillListed, open, verified, then one ZSET
 *   per status in STATUS_ORDER
 * ARGV: requestId, batchIndex, reopenedOutcomeJson, nowMs, nowIso,
 *   batchEventJson, runningEventJson, updatesChannel, deadlineMs,
 *   terminal statuses (comma list), 1-based position of `running` in
 *   STATUS_ORDER, marker field to delete
 * Returns `missing`, `sealed`, `export_deleted`, `not_failed`, `batch` (the
 * request was still open) or `request` (the request was reopened too).
 */
export const reopenBatchScript = new LuaScript(`
local meta = redis.call('HMGET', KEYS[1], 'status', 'pseudonymised',
  'exportDeletionAt')
if not meta[1] then return 'missing' end
if meta[2] == '1' then return 'sealed' end
if meta[3] then return 'export_deleted' end
local previous = redis.call('HGET', KEYS[2], ARGV[2])
if not previous or cjson.decode(previous)['status'] ~= 'failed' then
  return 'not_failed'
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('HINCRBY', KEYS[1], 'batchDone', -1)
redis.call('HINCRBY', KEYS[1], 'round', 1)
redis.call('HDEL', KEYS[1], ARGV[12])
redis.call('HDEL', KEYS[1], 'stillListedCount')
redis.call('DEL', KEYS[4], KEYS[6])
redis.call('RPUSH', KEYS[3], ARGV[6])
local result = 'batch'
local terminal = false
for s in string.gmatch(ARGV[10], '[^,]+') do
  if s == meta[1] then terminal = true end
end
if terminal then
  for i = 7, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
  redis.call('ZADD', KEYS[6 + tonumber(ARGV[11])], ARGV[4], ARGV[1])
  redis.call('ZADD', KEYS[5], ARGV[9], ARGV[1])
  redis.call('HSET', KEYS[1], 'status', 'running')
  redis.call('HDEL', KEYS[1], 'finishedAt', 'error', 'verification',
    'webhook', 'subjectsSealed', 'artifacts')
  redis.call('RPUSH', KEYS[3], ARGV[7])
  result = 'request'
end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[5])
redis.call('PUBLISH', ARGV[8], ARGV[1])
return result
`);
