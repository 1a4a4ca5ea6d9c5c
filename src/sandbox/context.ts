import type { ExportFiles } from './export-files.js';
import type { SandboxEndpoint } from './sandbox-types.js';
import type { Store } from './store.js';
import type { Tasks } from './tasks.js';

/** What route handlers share. */
export interface SandboxContext {
  readonly store: Store;
  readonly tasks: Tasks;
  readonly exports: ExportFiles;
  /** `http://host:port`, known once the server listens. */
  readonly baseUrl: () => string;
  readonly exportUserMessageLimit: number;
}

export interface RouteRequest {
  /** Path segments the route's pattern captured, decoded. */
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: unknown;
}

/** A handler's answer; the server adds `duration` to JSON bodies. */
export type Reply =
  | {
      readonly kind: 'json';
      readonly status: number;
      readonly body: Record<string, unknown>;
    }
  | {
      readonly kind: 'text';
      readonly status: number;
      readonly contentType: string;
      readonly text: string;
    };

export type RouteHandler = (ctx: SandboxContext, req: RouteRequest) => Reply;

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly endpoint: SandboxEndpoint;
  /** Stream's auth; export downloads are signed URLs and skip it. */
  readonly auth: boolean;
  /** Reads a JSON request body. */
  readonly jsonBody: boolean;
  readonly handler: RouteHandler;
}

export function json(status: number, body: Record<string, unknown>): Reply {
  return { kind: 'json', status, body };
}
