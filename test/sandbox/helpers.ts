import { randomUUID } from 'node:crypto';

import {
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from '../../src/sandbox/index.js';
import { pollUntil } from '../support/poll.js';

export const API_KEY = 'sandbox-test-key';
export const API_SECRET = 'sandbox-test-secret-0123456789abcdef';

/** Starts a sandbox with the test credentials; close it in afterEach. */
export function startTestSandbox(
  options: Partial<SandboxOptions> = {},
): Promise<Sandbox> {
  return startSandbox({ apiKey: API_KEY, apiSecret: API_SECRET, ...options });
}

/** Polls `probe` until it returns a value other than undefined. */
export function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 5_000, intervalMs = 10 } = {},
): Promise<T> {
  return pollUntil('a sandbox condition', probe, { timeoutMs, intervalMs });
}

/** Ids unique to one test, so assertions never see another test's rows. */
export function uniqueIds(prefix: string, count: number): string[] {
  const run = randomUUID().slice(0, 8);
  return Array.from({ length: count }, (_, n) => `${prefix}-${run}-${n}`);
}

/** A server token signed with `secret`, as every SDK builds it. */
export async function serverToken(
  secret = API_SECRET,
  claims: Record<string, unknown> = { server: true },
): Promise<string> {
  const { SignJWT } = await import('jose');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

/** Headers of an authenticated server-side call. */
export async function authHeaders(
  token?: string,
): Promise<Record<string, string>> {
  return {
    Authorization: token ?? (await serverToken()),
    'Stream-Auth-Type': 'jwt',
    'Content-Type': 'application/json',
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: Record<string, unknown> | undefined;
}

/** One raw HTTP call to the sandbox with a valid server token by default. */
export async function call(
  sandbox: Sandbox,
  method: 'GET' | 'POST',
  path: string,
  options: {
    body?: unknown;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    apiKey?: string;
    signal?: AbortSignal;
  } = {},
): Promise<RawResponse> {
  const url = new URL(path, sandbox.url);
  url.searchParams.set('api_key', options.apiKey ?? API_KEY);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    url.searchParams.set(key, value);
  }

  const response = await fetch(url, {
    method,
    headers: options.headers ?? (await authHeaders()),
    ...(options.body === undefined
      ? {}
      : { body: JSON.stringify(options.body) }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }

  return { status: response.status, headers: response.headers, text, json };
}

/** GET /users with a `payload` as the SDKs send it. */
export function queryUsersRaw(
  sandbox: Sandbox,
  payload: Record<string, unknown>,
): Promise<RawResponse> {
  return call(sandbox, 'GET', '/users', {
    query: { payload: JSON.stringify(payload) },
  });
}

/** Polls GET /tasks/{id} until the task is completed or failed. */
export function settledTask(
  sandbox: Sandbox,
  taskId: string,
): Promise<Record<string, unknown>> {
  return waitFor(async () => {
    const { json } = await call(sandbox, 'GET', `/tasks/${taskId}`);
    const status = json?.['status'];
    return status === 'completed' || status === 'failed' ? json : undefined;
  });
}
