import { count } from '../plural.js';
import type { DemoOutcome } from './demo-requests.js';
import type { DemoCredentials } from './demo-settings.js';

export interface DemoEndpoints {
  readonly redis: string;
  readonly privateRedis: boolean;
  readonly prefix: string;
  readonly sandboxUrl: string;
  readonly serverUrl: string;
  readonly exportDir: string;
}

/** What is running and how to reach it, printed before the samples run. */
export function formatStartBanner(
  endpoints: DemoEndpoints,
  credentials: DemoCredentials,
): string {
  const redis = endpoints.privateRedis
    ? `${endpoints.redis} (a private redis-server started for the demo)`
    : endpoints.redis;
  return [
    'stream-gdpr demo: everything runs locally; Stream is the sandbox.',
    '',
    `  Redis:       ${redis}`,
    `  Key prefix:  ${endpoints.prefix} (removed on exit)`,
    `  Sandbox:     ${endpoints.sandboxUrl} (Stream emulator with demo users)`,
    `  Server:      ${endpoints.serverUrl}`,
    `  Exports:     ${endpoints.exportDir}`,
    '',
    '  Demo credentials (generated for this run only):',
    `    STREAM_API_KEY=${credentials.streamApiKey}`,
    `    STREAM_API_SECRET=${credentials.streamApiSecret}`,
    `    API_TOKEN=${credentials.apiToken}`,
    `    DASHBOARD_USER=${credentials.dashboardUser}`,
    `    DASHBOARD_PASSWORD=${credentials.dashboardPassword}`,
    '',
  ].join('\n');
}

/** The outcome and the ways in, printed once the samples ended. */
export function formatDoneBanner(
  endpoints: DemoEndpoints,
  credentials: DemoCredentials,
  outcome: DemoOutcome,
): string {
  const { exportRecord, erasureRecord } = outcome;
  const ok =
    exportRecord.status === 'completed' && erasureRecord.status === 'completed';
  const dashboard = new URL('/dashboard', endpoints.serverUrl);
  const withCredentials = new URL(dashboard);
  withCredentials.username = credentials.dashboardUser;
  withCredentials.password = credentials.dashboardPassword;
  const bearer = `-H 'Authorization: Bearer ${credentials.apiToken}'`;
  const files = exportRecord.artifacts?.files.length ?? 0;
  const verified = erasureRecord.verification?.passed ? ', verified' : '';

  return [
    '',
    ok
      ? 'Demo requests completed.'
      : 'Demo requests ended, not all completed (see the records below).',
    `  export  ${exportRecord.id}: ${exportRecord.status} (${count(files, 'file')} under ${endpoints.exportDir})`,
    `  erasure ${erasureRecord.id}: ${erasureRecord.status}${verified}`,
    '',
    `Dashboard: ${dashboard.href}`,
    `           (user ${credentials.dashboardUser}, password ${credentials.dashboardPassword}; or ${withCredentials.href})`,
    '',
    'Try the API:',
    `  curl ${bearer} ${endpoints.serverUrl}/v1/requests/${erasureRecord.id}`,
    `  curl ${bearer} -H 'Content-Type: application/json' \\`,
    `       -d '{"userIds":["dave"]}' ${endpoints.serverUrl}/v1/erasure-requests`,
    '',
    'Press Ctrl-C to stop; everything the demo started is then removed.',
    '',
  ].join('\n');
}
