import { QUEUE_NAMES } from '../../src/queues/queue-names.js';
import type { ScannedText } from './leak-scan.js';

/** Job lists bull-board serves per queue. */
const BOARD_STATUSES = [
  'latest',
  'active',
  'waiting',
  'prioritized',
  'delayed',
  'completed',
  'failed',
  'paused',
];

export interface DashboardCrawl {
  readonly texts: ScannedText[];
  /** Answers that were not 200, by path; a crawl expects none. */
  readonly failures: { path: string; status: number }[];
  readonly jobDetails: number;
}

/**
 * Reads every JSON answer an operator's browser would get from the
 * dashboard: each queue's job list in each status, each listed job's
 * detail and the Redis stats.
 */
export async function crawlDashboard(
  baseUrl: string,
  user: string,
  password: string,
): Promise<DashboardCrawl> {
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const texts: ScannedText[] = [];
  const failures: { path: string; status: number }[] = [];
  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}/dashboard${path}`, {
      headers: { Authorization: authorization },
    });
    const text = await response.text();
    texts.push({ source: `dashboard ${path}`, text });
    if (response.status !== 200)
      failures.push({ path, status: response.status });
    return text;
  };

  const jobs = new Set<string>();
  for (const queue of Object.values(QUEUE_NAMES)) {
    for (const status of BOARD_STATUSES) {
      const text = await get(
        `/api/queues?activeQueue=${queue}&status=${status}&page=1&jobsPerPage=100`,
      );
      const parsed = JSON.parse(text) as {
        queues?: { name: string; jobs?: { id?: string }[] }[];
      };
      for (const listed of parsed.queues ?? []) {
        for (const job of listed.jobs ?? []) {
          if (job.id) {
            jobs.add(
              `${encodeURIComponent(listed.name)}/${encodeURIComponent(job.id)}`,
            );
          }
        }
      }
    }
  }

  for (const job of jobs) await get(`/api/queues/${job}`);
  await get('/api/redis/stats');
  return { texts, failures, jobDetails: jobs.size };
}
