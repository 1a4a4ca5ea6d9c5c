import type { Route } from './context.js';
import { deleteChannels } from './routes/delete-channels.js';
import { deleteUsers } from './routes/delete-users.js';
import { downloadExport } from './routes/download-export.js';
import { exportUser } from './routes/export-user.js';
import { exportUsers } from './routes/export-users.js';
import { getTask } from './routes/get-task.js';
import { queryChannels } from './routes/query-channels.js';
import { queryUsers } from './routes/query-users.js';

/** The legacy root paths every stream-chat SDK calls (reference §1). */
const ROUTES: readonly Route[] = [
  route('POST', /^\/users\/delete$/, 'deleteUsers', deleteUsers),
  route('POST', /^\/channels\/delete$/, 'deleteChannels', deleteChannels),
  route('POST', /^\/export\/users$/, 'exportUsers', exportUsers),
  route('GET', /^\/users\/([^/]+)\/export$/, 'exportUser', exportUser),
  route('GET', /^\/tasks\/([^/]+)$/, 'getTask', getTask),
  route('GET', /^\/users$/, 'queryUsers', queryUsers),
  route('POST', /^\/channels$/, 'queryChannels', queryChannels),
  {
    method: 'GET',
    pattern: /^\/exports\/users\/([^/]+)$/,
    endpoint: 'downloadExport',
    auth: false,
    jsonBody: false,
    handler: downloadExport,
  },
];

function route(
  method: Route['method'],
  pattern: RegExp,
  endpoint: Route['endpoint'],
  handler: Route['handler'],
): Route {
  return {
    method,
    pattern,
    endpoint,
    auth: true,
    jsonBody: method === 'POST',
    handler,
  };
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: readonly string[];
}

/** The route for a method and path, with its captured segments decoded. */
export function matchRoute(
  method: string,
  pathname: string,
): RouteMatch | undefined {
  for (const candidate of ROUTES) {
    if (candidate.method !== method) continue;
    const found = candidate.pattern.exec(pathname);
    if (found === null) continue;
    try {
      const params = found.slice(1).map((part) => decodeURIComponent(part));
      return { route: candidate, params };
    } catch {
      return undefined;
    }
  }

  return undefined;
}
