import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import {
  messageResponse,
  reactionResponse,
  userResponse,
} from './serializers.js';
import type { Store } from './store.js';

/** Signed download URLs live 24 h, as Stream's channel exports do. */
const URL_LIFETIME_S = 86_400;

export const EXPORTS_PATH = '/exports/users/';

/**
 * Export files and their signed URLs. A URL carries `Expires` (Unix
 * seconds) and `Signature` (HMAC-SHA256 of file name and expiry with the
 * app secret), like a pre-signed S3 URL: it needs no Stream auth, and only
 * the URL exactly as issued downloads the file.
 */
export class ExportFiles {
  readonly #files = new Map<string, string>();
  readonly #secret: string;

  constructor(secret: string) {
    this.#secret = secret;
  }

  /** Stores a file and returns its signed absolute URL. */
  publish(baseUrl: string, taskId: string, content: string): string {
    const name = `${taskId}-${randomBytes(4).toString('hex')}.ndjson`;
    this.#files.set(name, content);
    const expires = Math.ceil(Date.now() / 1000) + URL_LIFETIME_S;
    const signature = this.#sign(name, expires);
    return `${baseUrl}${EXPORTS_PATH}${name}?Expires=${expires}&Signature=${signature}`;
  }

  /** The file, if the signature matches and has not expired. */
  open(
    name: string,
    expires: string | null,
    signature: string | null,
  ): string | undefined {
    const content = this.#files.get(name);
    if (content === undefined || expires === null || signature === null) {
      return undefined;
    }

    const expiresS = Number(expires);
    if (!Number.isInteger(expiresS) || expiresS < Date.now() / 1000) {
      return undefined;
    }

    const expected = Buffer.from(this.#sign(name, expiresS));
    const given = Buffer.from(signature);
    if (given.length !== expected.length) return undefined;
    return timingSafeEqual(given, expected) ? content : undefined;
  }

  #sign(name: string, expiresS: number): string {
    return createHmac('sha256', this.#secret)
      .update(`${name}\n${expiresS}`)
      .digest('hex');
  }
}

/**
 * The NDJSON body of a user export. The reference leaves the line shape
 * unconfirmed; ours is one object per line with a `type` discriminator and
 * the record under a key of that name (messages and reactions have their
 * own `type` field, so the record is not spread): `{"type":"user","user":
 * {...}}` per user, then that user's `{"type":"message","message":{...}}`
 * and `{"type":"reaction","reaction":{...}}` lines. Unknown users are
 * skipped.
 */
export function userExportNdjson(
  store: Store,
  userIds: readonly string[],
): string {
  const lines: string[] = [];
  for (const userId of userIds) {
    const user = store.users.get(userId);
    if (user === undefined) continue;
    lines.push(JSON.stringify({ type: 'user', user: userResponse(user) }));
    for (const message of store.messagesOf(userId)) {
      lines.push(
        JSON.stringify({
          type: 'message',
          message: messageResponse(store, message),
        }),
      );
    }

    for (const reaction of store.reactionsOf(userId)) {
      lines.push(
        JSON.stringify({
          type: 'reaction',
          reaction: reactionResponse(reaction),
        }),
      );
    }
  }

  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
