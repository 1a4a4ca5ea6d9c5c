import { LuaScript } from '../requests/lua-script.js';

/**
 * Takes one call from an endpoint's window.
 * While the window is our guess, a caller refused is told to look again
 * within `recheckMs` rather than at the guessed end: Stream's headers will
 * soon correct the window, usually to an earlier reset.
 * Until Stream has answered once (`learned`), probing callers (ones that
 * report the answer back) also need a place in the probe: at most
 * `probeCalls` in flight per endpoint, so a cold start of many workers
 * does not burst past a limit nobody knows yet. A place ends when its
 * answer is reported; all of them after `probeLeaseMs` without a new one
 * (their callers may have died). Others look again at `now + probeWaitMs`.
 * Once Stream has answered, calls are also spaced: it limits bursts per second to twice a
 * window's average rate (60/min allows about 2/s), so a call waits until
 * `spacingShare × window / limit` ms after the last one granted. The
 * window's length is configured (`windowMs`; Stream documents one minute):
 * its headers give the reset but not the length. A caller
 * refused by the spacing comes back after the gap plus up to one more gap
 * (`jitter`, 0 to 1), so waiting callers do not all return at once.
 * KEYS: budget hash.
 * ARGV: nowMs, defaultLimit, defaultWindowMs, marginMs, recheckMs,
 * probeCalls (0: not probing), probeLeaseMs, probeWaitMs, spacingShare,
 * jitter, windowMs.
 * Returns 0 when the call may go ahead, else the epoch ms to try again.
 * A new window starts `marginMs` after the old one has passed, so calls
 * sent just before the reset (counted by Stream in its new window) have
 * landed and been reported first; its length is a guess (the default
 * window) until Stream's headers correct it.
 */
export const acquireScript = new LuaScript(`
local now = tonumber(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'limit', 'remaining', 'resetAt',
  'pausedUntil', 'guessed', 'learned', 'probeUntil', 'probeCount',
  'lastAt')
local limit = tonumber(h[1]) or tonumber(ARGV[2])
local remaining = tonumber(h[2])
local resetAt = tonumber(h[3]) or 0
local paused = tonumber(h[4]) or 0
if paused > now then return paused end
local probing = tonumber(ARGV[6]) > 0 and h[6] ~= '1'
local inFlight = 0
if (tonumber(h[7]) or 0) > now then inFlight = tonumber(h[8]) or 0 end
if probing and inFlight >= tonumber(ARGV[6]) then
  return now + tonumber(ARGV[8])
end
if remaining ~= nil and resetAt <= now and now < resetAt + tonumber(ARGV[4])
then
  return resetAt + tonumber(ARGV[4])
end
if resetAt <= now or remaining == nil then
  resetAt = now + tonumber(ARGV[3])
  remaining = limit
  h[5] = '1'
  redis.call('HSET', KEYS[1], 'limit', limit, 'resetAt', resetAt,
    'guessed', 1)
end
if remaining <= 0 then
  redis.call('HSET', KEYS[1], 'remaining', 0)
  if h[5] == '1' then return math.min(resetAt, now + tonumber(ARGV[5])) end
  return resetAt
end
if h[6] == '1' then
  local windowMs = tonumber(ARGV[11])
  local gap = math.floor(windowMs * tonumber(ARGV[9]) / limit)
  local nextAt = (tonumber(h[9]) or 0) + gap
  if nextAt > now then
    return nextAt + math.floor(gap * tonumber(ARGV[10]))
  end
end
redis.call('HSET', KEYS[1], 'remaining', remaining - 1, 'lastAt', now)
if probing then
  redis.call('HSET', KEYS[1], 'probeUntil', now + tonumber(ARGV[7]),
    'probeCount', inFlight + 1)
end
return 0
`);

/**
 * Reports an answer from Stream and ends its caller's place in the probe.
 * With headers: adopts Stream's limit and reset time. The first answer
 * ever (`learned` unset) also adopts Stream's remaining outright, less the
 * other probe calls still in flight: our window was a guess. Afterwards
 * remaining is the lower of ours and Stream's while our window is still
 * open, since ours already counts calls still in flight.
 * Without headers (ARGV[2] empty) Stream announces no limit: our guess is
 * all there is, and probing stops.
 * KEYS: budget hash. ARGV: nowMs, limit, remaining, resetAtMs.
 */
export const observeScript = new LuaScript(`
local now = tonumber(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'remaining', 'resetAt', 'learned',
  'probeUntil', 'probeCount')
if ARGV[2] == '' then
  redis.call('HSET', KEYS[1], 'learned', 1)
  redis.call('HDEL', KEYS[1], 'probeUntil', 'probeCount')
  return 1
end
local resetAt = tonumber(ARGV[4])
if resetAt <= now then
  if h[3] ~= '1' and (tonumber(h[5]) or 0) > 0 then
    redis.call('HSET', KEYS[1], 'probeCount', tonumber(h[5]) - 1)
  end
  return 0
end
local remaining = tonumber(ARGV[3])
local current = tonumber(h[1])
local currentReset = tonumber(h[2]) or 0
if h[3] == '1' then
  if current ~= nil and currentReset > now then
    remaining = math.min(remaining, current)
  end
elseif (tonumber(h[4]) or 0) > now then
  local others = (tonumber(h[5]) or 1) - 1
  remaining = math.max(0, remaining - math.max(0, others))
end
redis.call('HSET', KEYS[1], 'limit', ARGV[2], 'remaining', remaining,
  'resetAt', resetAt, 'guessed', 0, 'learned', 1)
redis.call('HDEL', KEYS[1], 'probeUntil', 'probeCount')
return 1
`);

/**
 * Ends a caller's place in the probe without learning anything (the call
 * got no answer: a timeout or a broken connection), so another caller may
 * probe at once.
 * KEYS: budget hash.
 */
export const releaseScript = new LuaScript(`
local count = tonumber(redis.call('HGET', KEYS[1], 'probeCount') or '0')
if count > 0 then
  redis.call('HSET', KEYS[1], 'probeCount', count - 1)
end
return 1
`);

/**
 * Stops every worker from calling an endpoint until `untilMs` (a 429).
 * When the window was spent (`windowSpent` = 1), Stream's reset time ends
 * it: afterwards a fresh one starts, whatever window we had guessed. A 429
 * that left calls in the window (a burst limit, an edge proxy) pauses
 * without touching the window. The probe ends too; if Stream's limit is
 * still unknown, the next window probes again.
 * KEYS: budget hash. ARGV: untilMs, windowSpent (1 or 0).
 */
export const pauseScript = new LuaScript(`
local untilMs = math.max(tonumber(ARGV[1]),
  tonumber(redis.call('HGET', KEYS[1], 'pausedUntil') or '0'))
redis.call('HSET', KEYS[1], 'pausedUntil', untilMs)
if ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], 'remaining', 0, 'resetAt', untilMs,
    'guessed', 0)
end
redis.call('HDEL', KEYS[1], 'probeUntil', 'probeCount')
return 1
`);
