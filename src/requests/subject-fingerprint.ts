import { createHmac, hash } from 'node:crypto';

/** Which list of a request a subject id belongs to. */
export type SubjectKind = 'user' | 'channel';

/**
 * The kind is hashed with the id so a user id and a channel cid that are
 * the same string never share a fingerprint.
 */
function input(kind: SubjectKind, id: string): string {
  return `${kind}\n${id}`;
}

/**
 * A subject's keyed fingerprint: HMAC-SHA256 under RECORD_PSEUDONYM_KEY, in
 * hex. Stored instead of the id once a request is pseudonymised; without
 * the key it cannot be recomputed from a guessed id, with it the lookup
 * of one known id is one hash.
 */
export function subjectFingerprint(
  key: string,
  kind: SubjectKind,
  id: string,
): string {
  return createHmac('sha256', key).update(input(kind, id)).digest('hex');
}

/**
 * An unkeyed SHA-256 of a subject, naming its lookup index entry when the
 * request keeps its ids in clear. It hides nothing (the record holds the
 * id next to it); it keeps index key names short and free of raw ids.
 * One-shot `hash`: a million subjects make no million Hash objects.
 */
export function subjectDigest(kind: SubjectKind, id: string): string {
  return hash('sha256', input(kind, id), 'hex');
}
