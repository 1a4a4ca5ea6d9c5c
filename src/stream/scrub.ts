/**
 * Turns text that came from Stream (or from the HTTP stack) into something
 * safe to keep in an error message: every id sent in the call replaced by
 * `[id]`, URLs replaced by `[url]`, control characters dropped, and the
 * whole cut short. Stream messages echo ids ("Can't find task with id …",
 * "user u1 does not exist"), and those messages end up in Redis and logs.
 */

export const MAX_MESSAGE_CHARS = 200;

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;
// eslint-disable-next-line no-control-regex
const CONTROL_PATTERN = /[\u0000-\u001f\u007f]+/g;

/**
 * The strings to hide for a call: the ids themselves and, for cids
 * (`type:id`), the channel id alone, since messages may quote either.
 */
export function sensitiveTerms(ids: readonly string[]): string[] {
  const terms = new Set<string>();
  for (const id of ids) {
    if (id) terms.add(id);
    const colon = id.indexOf(':');
    if (colon >= 0 && colon < id.length - 1) terms.add(id.slice(colon + 1));
  }
  // Longest first, so an id containing a shorter one is replaced whole.
  return [...terms].sort((a, b) => b.length - a.length);
}

/** Scrubs and truncates `text`; see the module comment. */
export function scrubText(
  text: string,
  terms: readonly string[],
  maxChars = MAX_MESSAGE_CHARS,
): string {
  let out = text.replace(URL_PATTERN, '[url]');
  for (const term of terms) out = out.split(term).join('[id]');
  out = out.replace(CONTROL_PATTERN, ' ').trim();
  if (out.length > maxChars) out = `${out.slice(0, maxChars - 1)}…`;
  return out;
}

/**
 * A stand-in for a caught error that is safe to attach as `cause`: same
 * name and system `code`, message scrubbed, no stack frames from the HTTP
 * stack's internals that might quote a URL. The chain is followed two
 * levels, which is where undici keeps the socket error.
 */
export function safeCause(
  error: unknown,
  terms: readonly string[],
  depth = 0,
): Error {
  const source = isErrorLike(error) ? error : new Error(String(error));
  const inner =
    depth < 2 && source.cause !== undefined
      ? { cause: safeCause(source.cause, terms, depth + 1) }
      : undefined;
  const copy = new Error(scrubText(source.message, terms), inner);
  copy.name = source.name;
  const code = systemCode(source);
  if (code !== undefined) Object.assign(copy, { code });
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

/** `code` of a Node system or undici error, if it has a string one. */
export function systemCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * `instanceof Error` without the realm problem: errors thrown by Node's
 * fetch come from another realm under jest's VM modules (and could in any
 * embedder), so a check by shape is the reliable one.
 */
export function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { name?: unknown }).name === 'string'
  );
}
