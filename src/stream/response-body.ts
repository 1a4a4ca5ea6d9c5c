import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { systemCode } from './scrub.js';
import { StreamFileError, StreamTimeoutError } from './stream-errors.js';
import type { StreamEndpoint, WrittenFile } from './stream-types.js';

/**
 * Reading response bodies with a stall guard. ky's `timeout` stops at the
 * response headers, so every body read here is bounded by an inactivity
 * timeout instead: each chunk must arrive within `idleTimeoutMs` of the
 * previous one. There is deliberately no total limit, because an export
 * file may be large and slow yet healthy.
 */
export interface BodyReadOptions {
  readonly endpoint: StreamEndpoint;
  readonly idleTimeoutMs: number;
}

/** Inspects a body as it streams; `finish` throws to reject it. */
export interface BodyCheck {
  push(chunk: Uint8Array): void;
  finish(): void;
}

/** Reads the whole body into memory, keeping at most `maxBytes`. */
export async function readBody(
  response: Response,
  options: BodyReadOptions & { readonly maxBytes: number },
): Promise<{ readonly bytes: Buffer; readonly truncated: boolean }> {
  const parts: Uint8Array[] = [];
  let kept = 0;
  let truncated = false;
  for await (const chunk of chunksOf(response, options)) {
    if (kept + chunk.length > options.maxBytes) {
      parts.push(chunk.subarray(0, options.maxBytes - kept));
      truncated = true;
      break;
    }
    parts.push(chunk);
    kept += chunk.length;
  }
  return { bytes: Buffer.concat(parts), truncated };
}

/**
 * Streams the body to `destination` unchanged, hashing as it goes. Bytes
 * go to a private temp file beside the destination (mode 0600), which is
 * synced and renamed into place only when the whole body arrived and the
 * check passed, so `destination` never holds a partial or rejected file.
 */
export async function writeBody(
  response: Response,
  destination: string,
  options: BodyReadOptions & { readonly check?: BodyCheck },
): Promise<WrittenFile> {
  const { endpoint } = options;
  const dir = dirname(destination);
  const temp = join(dir, `.${basename(destination)}.${randomUUID()}.part`);
  await fsStep(endpoint, () => mkdir(dir, { recursive: true, mode: 0o700 }));
  const handle = await fsStep(endpoint, () => open(temp, 'wx', 0o600));
  const hash = createHash('sha256');
  let bytes = 0;
  let committed = false;
  try {
    for await (const chunk of chunksOf(response, options)) {
      hash.update(chunk);
      bytes += chunk.length;
      options.check?.push(chunk);
      await fsStep(endpoint, () => handle.write(chunk));
    }
    options.check?.finish();
    await fsStep(endpoint, () => handle.sync());
    await fsStep(endpoint, () => handle.close());
    await fsStep(endpoint, () => rename(temp, destination));
    committed = true;
    return { path: destination, bytes, sha256: hash.digest('hex') };
  } finally {
    if (!committed) {
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
    }
  }
}

async function* chunksOf(
  response: Response,
  options: BodyReadOptions,
): AsyncGenerator<Uint8Array> {
  if (response.body === null) return;
  const reader = response.body.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await withIdleTimeout(reader.read(), options);
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Abandoned early (timeout, check failed, caller stopped): free the
    // connection instead of leaving the rest of the body unread.
    if (!done) void reader.cancel().catch(() => undefined);
  }
}

function withIdleTimeout<T>(
  read: Promise<T>,
  options: BodyReadOptions,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new StreamTimeoutError(options.endpoint, options.idleTimeoutMs, 'body'),
      );
    }, options.idleTimeoutMs);
  });
  return Promise.race([read, timeout]).finally(() => clearTimeout(timer));
}

async function fsStep<T>(
  endpoint: StreamEndpoint,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    // Node's fs messages quote the path, which may name a data subject;
    // the cause keeps only the code and the system call.
    const code = systemCode(error);
    const syscall = (error as { syscall?: unknown } | null)?.syscall;
    const cause = new Error(
      `${code ?? 'error'} during ${typeof syscall === 'string' ? syscall : 'file write'}`,
    );
    throw new StreamFileError(endpoint, code, { cause });
  }
}
