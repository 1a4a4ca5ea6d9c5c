import type { Redis } from 'ioredis';

/** A text that was looked at, and where it came from. */
export interface ScannedText {
  readonly source: string;
  readonly text: string;
}

export interface Leak {
  readonly source: string;
  readonly needle: string;
  /** A few characters around the hit, to find it quickly. */
  readonly context: string;
}

/** Every occurrence of every needle (secrets shown only by their name). */
export function findLeaks(
  texts: readonly ScannedText[],
  needles: ReadonlyMap<string, string>,
): Leak[] {
  const leaks: Leak[] = [];
  for (const { source, text } of texts) {
    for (const [name, needle] of needles) {
      const at = text.indexOf(needle);
      if (at < 0) continue;
      leaks.push({
        source,
        needle: name,
        context: text.slice(Math.max(0, at - 40), at + needle.length + 40),
      });
    }
  }

  return leaks;
}

/**
 * Every value of every key under `prefix` whose name does not start with
 * one of `except`, as text: strings, hash fields and values, list, set and
 * sorted-set members, stream entries.
 */
export async function dumpKeys(
  redis: Redis,
  prefix: string,
  except: readonly string[],
): Promise<ScannedText[]> {
  const texts: ScannedText[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`,
      'COUNT',
      1000,
    );
    cursor = next;
    for (const key of keys) {
      if (except.some((start) => key.startsWith(start))) continue;
      texts.push({ source: `redis ${key}`, text: await dumpKey(redis, key) });
    }
  } while (cursor !== '0');
  return texts;
}

async function dumpKey(redis: Redis, key: string): Promise<string> {
  const type = await redis.type(key);
  switch (type) {
    case 'string':
      return (await redis.get(key)) ?? '';
    case 'hash':
      return JSON.stringify(await redis.hgetall(key));
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'set':
      return JSON.stringify(await redis.smembers(key));
    case 'zset':
      return JSON.stringify(await redis.zrange(key, 0, -1));
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    default:
      return '';
  }
}
