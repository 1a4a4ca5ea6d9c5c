/** Placeholder shown instead of a value that may identify a data subject. */
export const HIDDEN = '[hidden]';

/**
 * Keys whose values may identify data subjects. Our job data carries only
 * request references, but the dashboard shows whatever a job holds, so any
 * such key is masked wherever it appears.
 */
const PERSONAL_KEY =
  /^(user_?ids?|channel_?cids?|cids?|subjects?|e_?mails?|names?|still_?listed)$/i;

/** Returns a copy of job data with personal-looking fields masked. */
export function hidePersonalData(value: unknown): unknown {
  return mask(value, 0);
}

function mask(value: unknown, depth: number): unknown {
  // Job data is JSON and shallow; the depth bound only guards against
  // pathological nesting.
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => mask(item, depth + 1));

  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] = PERSONAL_KEY.test(key) ? HIDDEN : mask(inner, depth + 1);
  }
  return copy;
}
