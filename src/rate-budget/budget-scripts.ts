import { LuaScript } from '../requests/lua-script.js';

/**
 * Takes one call from an endpoint's window.
 * While the window is our guess, a caller refused is told to look again
 * within `recheckMs` rather than at the guessed end: Stream's headers will
 * soon correct the window, usually to an earlier reset.
 * KEYS: budget hash.
 * ARGV: nowMs, defaultLimit, defaultWindowMs, marginMs, recheckMs.
 * Returns 0 when the call may go ahead, else the epoch ms to try again.
 * A new window starts `marginMs` after the old one has passed, so calls
 * sent just before the reset (counted by Stream in its new window) have
 * landed and been reported first; its length is a guess (the default
 * window) until Stream's headers correct it.
 */
export const acquireScript = new LuaScript(`
local now = tonumber(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'limit', 'remaining', 'resetAt',
  'pausedUntil', 'guessed')
local limit = tonumber(h[1]) or tonumber(ARGV[2])
local remaining = tonumber(h[2])
local resetAt = tonumber(h[3]) or 0
local paused = tonumber(h[4]) or 0
if paused > now then return paused end
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
redis.call('HSET', KEYS[1], 'remaining', remaining - 1)
return 0
`);

/**
 * Adopts what Stream's headers said: its limit and reset time; remaining
 * is the lower of ours and Stream's while our window is still open, since
 * ours already counts calls still in flight.
 * KEYS: budget hash. ARGV: nowMs, limit, remaining, resetAtMs.
 */
export const observeScript = new LuaScript(`
local now = tonumber(ARGV[1])
local resetAt = tonumber(ARGV[4])
if resetAt <= now then return 0 end
local h = redis.call('HMGET', KEYS[1], 'remaining', 'resetAt')
local remaining = tonumber(ARGV[3])
local current = tonumber(h[1])
local currentReset = tonumber(h[2]) or 0
if current ~= nil and currentReset > now then
  remaining = math.min(remaining, current)
end
redis.call('HSET', KEYS[1], 'limit', ARGV[2], 'remaining', remaining,
  'resetAt', resetAt, 'guessed', 0)
return 1
`);

/**
 * Stops every worker from calling an endpoint until `untilMs` (a 429).
 * Stream's reset time ends the current window: afterwards a fresh one
 * starts, whatever window we had guessed.
 * KEYS: budget hash. ARGV: untilMs.
 */
export const pauseScript = new LuaScript(`
local untilMs = math.max(tonumber(ARGV[1]),
  tonumber(redis.call('HGET', KEYS[1], 'pausedUntil') or '0'))
redis.call('HSET', KEYS[1], 'pausedUntil', untilMs, 'remaining', 0,
  'resetAt', untilMs, 'guessed', 0)
return 1
`);
