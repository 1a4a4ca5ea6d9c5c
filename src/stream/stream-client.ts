/**
 * The only code that talks to Stream (reference: ../shared/reference/
 * stream-api.md). Every method validates its batch, signs the call with the
 * static server token, sends `api_key` and our headers, validates what our
 * logic relies on with zod, and rejects with a `StreamError` subclass.
 *
 * Retry rule. The client itself retries only idempotent reads — getTask,
 * queryUsers, exportUser, downloadExport, and queryChannels (a POST that
 * only reads) — and only on network errors, timeouts and HTTP 502/503/504,
 * at most `getRetries` times (default 2) after a random 100-400 ms pause.
 * It never retries a 429: that goes to the queue layer, which pauses every
 * worker sharing the endpoint's budget until `retryAt`. It never retries a
 * POST that creates a task (deleteUsers, deleteChannels, exportUsers): if
 * the response was lost, a second POST could start a second task, so the
 * queue layer decides (checking first whether the work was done). All other
 * failures are surfaced at once with `retryable` set for the queue layer.
 * ky's own retry is off (`retry: 0`) so this rule is the only one.
 *
 * Timeouts. `timeoutMs` bounds the wait for response headers (ky's
 * `timeout`) and, separately, each gap between body chunks (see
 * response-body.ts); there is no total limit on a long, healthy download.
 */
import type { z } from 'zod';

import type { Config } from '../config/config.js';
import { requireConfig } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { exportUserCheck } from './export-user-check.js';
import { readBody, writeBody } from './response-body.js';
import { sensitiveTerms } from './scrub.js';
import { ServerToken } from './server-token.js';
import { STREAM_BATCH_LIMITS, type StreamApi } from './stream-api.js';
import { StreamResponseError, StreamUsageError } from './stream-errors.js';
import { describeIssues, streamSchemas } from './stream-schemas.js';
import { type CallSpec, StreamTransport } from './stream-transport.js';
import type {
  DeleteUsersOptions,
  StreamCallEvent,
  StreamEndpoint,
  StreamResponse,
  StreamTask,
  TaskSubmitted,
  WrittenFile,
} from './stream-types.js';

/** JSON bodies larger than this are refused rather than buffered. */
const MAX_JSON_BODY_BYTES = 32 * 1024 * 1024;

export interface StreamClientOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly baseUrl: string;
  /** Wait for response headers, and for each body chunk, in ms. */
  readonly timeoutMs: number;
  readonly logger?: Logger;
  /** Called once per HTTP attempt, for metrics and the rate budget. */
  readonly onCall?: (event: StreamCallEvent) => void;
  /** Client-side retries of idempotent reads on blips; default 2. */
  readonly getRetries?: number;
}

/** `StreamApi` over HTTP; see the module comment for the retry rule. */
export class StreamClient implements StreamApi {
  readonly #transport: StreamTransport;
  readonly #timeoutMs: number;

  constructor(options: StreamClientOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#transport = new StreamTransport({
      apiKey: options.apiKey,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      timeoutMs: options.timeoutMs,
      token: new ServerToken(options.apiSecret),
      getRetries: Math.max(0, Math.floor(options.getRetries ?? 2)),
      logger: options.logger,
      onCall: options.onCall,
    });
  }

  async deleteUsers(
    userIds: readonly string[],
    options: DeleteUsersOptions,
  ): Promise<StreamResponse<TaskSubmitted>> {
    checkBatch('deleteUsers', userIds);
    return this.#post('deleteUsers', 'users/delete', userIds, {
      user_ids: userIds,
      user: options.user,
      messages: options.messages,
      conversations: options.conversations,
      ...(options.newChannelOwnerId === undefined
        ? {}
        : { new_channel_owner_id: options.newChannelOwnerId }),
      ...(options.files === undefined ? {} : { files: options.files }),
    });
  }

  async deleteChannels(
    cids: readonly string[],
  ): Promise<StreamResponse<TaskSubmitted>> {
    checkBatch('deleteChannels', cids);
    return this.#post('deleteChannels', 'channels/delete', cids, {
      cids,
      hard_delete: true,
    });
  }

  async exportUsers(
    userIds: readonly string[],
  ): Promise<StreamResponse<TaskSubmitted>> {
    checkBatch('exportUsers', userIds);
    return this.#post('exportUsers', 'export/users', userIds, {
      user_ids: userIds,
    });
  }

  async exportUser(
    userId: string,
    destination: string,
  ): Promise<StreamResponse<WrittenFile>> {
    checkId('exportUser', userId);
    return this.#transport.call({
      endpoint: 'exportUser',
      request: {
        kind: 'api',
        method: 'get',
        path: `users/${encodeURIComponent(userId)}/export`,
      },
      retryOnBlip: true,
      terms: sensitiveTerms([userId]),
      read: (response) =>
        writeBody(response, destination, {
          endpoint: 'exportUser',
          idleTimeoutMs: this.#timeoutMs,
          check: exportUserCheck(response.status),
        }),
    });
  }

  async getTask(taskId: string): Promise<StreamResponse<StreamTask>> {
    checkId('getTask', taskId);
    return this.#transport.call({
      endpoint: 'getTask',
      request: {
        kind: 'api',
        method: 'get',
        path: `tasks/${encodeURIComponent(taskId)}`,
      },
      retryOnBlip: true,
      terms: sensitiveTerms([taskId]),
      read: (response) => this.#json('getTask', response, streamSchemas.task),
    });
  }

  async queryUsers(
    userIds: readonly string[],
  ): Promise<StreamResponse<{ readonly ids: readonly string[] }>> {
    checkBatch('queryUsers', userIds);
    // Deactivated users are not erased, so they must still be listed.
    const payload = {
      filter_conditions: { id: { $in: userIds } },
      limit: userIds.length,
      include_deactivated_users: true,
    };
    return this.#transport.call({
      endpoint: 'queryUsers',
      request: {
        kind: 'api',
        method: 'get',
        path: 'users',
        searchParams: { payload: JSON.stringify(payload) },
      },
      retryOnBlip: true,
      terms: sensitiveTerms(userIds),
      read: (response) =>
        this.#json('queryUsers', response, streamSchemas.queryUsers),
    });
  }

  async queryChannels(
    cids: readonly string[],
  ): Promise<StreamResponse<{ readonly cids: readonly string[] }>> {
    checkBatch('queryChannels', cids);
    // `state: true` is the body the reference documents (§9b); whether
    // Stream still lists channels with `state: false` is unconfirmed. We
    // read only `channel.cid` and drop the rest.
    const body = {
      filter_conditions: { cid: { $in: cids } },
      sort: [],
      state: true,
      watch: false,
      presence: false,
      limit: cids.length,
    };
    return this.#transport.call({
      endpoint: 'queryChannels',
      request: { kind: 'api', method: 'post', path: 'channels', json: body },
      retryOnBlip: true,
      terms: sensitiveTerms(cids),
      read: (response) =>
        this.#json('queryChannels', response, streamSchemas.queryChannels),
    });
  }

  async downloadExport(
    url: string,
    destination: string,
  ): Promise<StreamResponse<WrittenFile>> {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
      throw new StreamUsageError(
        'downloadExport',
        'Stream downloadExport refused: the export URL is not http(s)',
      );
    }
    return this.#transport.call({
      endpoint: 'downloadExport',
      request: { kind: 'plain', url },
      retryOnBlip: true,
      // The signed URL is a bearer credential: keep every part of it out.
      terms: sensitiveTerms([url, parsed.pathname, parsed.search]),
      read: (response) =>
        writeBody(response, destination, {
          endpoint: 'downloadExport',
          idleTimeoutMs: this.#timeoutMs,
        }),
    });
  }

  #post(
    endpoint: StreamEndpoint,
    path: string,
    ids: readonly string[],
    body: Record<string, unknown>,
  ): Promise<StreamResponse<TaskSubmitted>> {
    const spec: CallSpec<TaskSubmitted> = {
      endpoint,
      request: { kind: 'api', method: 'post', path, json: body },
      retryOnBlip: false,
      terms: sensitiveTerms(ids),
      read: (response) =>
        this.#json(endpoint, response, streamSchemas.taskSubmitted),
    };
    return this.#transport.call(spec);
  }

  async #json<T>(
    endpoint: StreamEndpoint,
    response: Response,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const { bytes, truncated } = await readBody(response, {
      endpoint,
      idleTimeoutMs: this.#timeoutMs,
      maxBytes: MAX_JSON_BODY_BYTES,
    });
    if (truncated) {
      throw new StreamResponseError(
        endpoint,
        response.status,
        'body too large',
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      // JSON.parse quotes the body in its message; keep none of it.
      throw new StreamResponseError(endpoint, response.status, 'not JSON');
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      throw new StreamResponseError(
        endpoint,
        response.status,
        describeIssues(result.error),
      );
    }
    return result.data;
  }
}

/**
 * Builds the client from the validated configuration. Throws `ConfigError`
 * when the Stream credentials are missing.
 */
export function createStreamClient(
  config: Config,
  extra: {
    readonly logger?: Logger;
    readonly onCall?: (event: StreamCallEvent) => void;
  } = {},
): StreamClient {
  requireConfig(config, ['streamCredentials']);
  const { apiKey, apiSecret, baseUrl, timeoutMs } = config.stream;
  return new StreamClient({
    apiKey: apiKey ?? '',
    apiSecret: apiSecret ?? '',
    baseUrl,
    timeoutMs,
    ...extra,
  });
}

type BatchEndpoint = keyof typeof STREAM_BATCH_LIMITS;

function checkBatch(endpoint: BatchEndpoint, ids: readonly string[]): void {
  const limit = STREAM_BATCH_LIMITS[endpoint];
  if (ids.length === 0 || ids.length > limit) {
    throw new StreamUsageError(
      endpoint,
      `Stream ${endpoint} refused: batch of ${ids.length}, expected 1 to ${limit}`,
    );
  }
  for (const id of ids) checkId(endpoint, id);
}

function checkId(endpoint: StreamEndpoint, id: string): void {
  if (typeof id !== 'string' || id.length === 0) {
    throw new StreamUsageError(
      endpoint,
      `Stream ${endpoint} refused: an id is empty`,
    );
  }
}
