import { type Browser, chromium } from 'playwright-core';

import type { RequestRecord } from '../../src/requests/request-record.js';
import { type LiveStack, startLiveStack } from './helpers/live-stack.js';
import {
  DASHBOARD_PASSWORD,
  DASHBOARD_USER,
  json,
} from './helpers/test-server.js';
import { waitFor } from './helpers/wait-for.js';

/** Debian's chromium; CI installs it (.ci/run). */
const CHROMIUM = '/usr/bin/chromium';
const USERS = ['browser-ida', 'browser-jon'];

describe('the dashboard in a real browser', () => {
  let stack: LiveStack;
  let browser: Browser;
  let requestId: string;

  beforeAll(async () => {
    stack = await startLiveStack({
      users: USERS.map((id) => ({ id, messageCount: 1 })),
    });
    const accepted = await stack.server.api(
      '/v1/erasure-requests',
      json({ userIds: USERS, mode: 'hard' }),
    );
    requestId = ((await accepted.json()) as RequestRecord).id;
    await waitFor(async () => {
      const response = await stack.server.api(`/v1/requests/${requestId}`);
      const { status } = (await response.json()) as RequestRecord;
      return status === 'completed' ? status : undefined;
    }, 'the erasure to complete');

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows every queue to an operator with credentials', async () => {
    const context = await browser.newContext({
      httpCredentials: {
        username: DASHBOARD_USER,
        password: DASHBOARD_PASSWORD,
      },
    });
    const page = await context.newPage();

    const response = await page.goto(`${stack.server.url}/dashboard`);
    expect(response?.status()).toBe(200);
    for (const queue of [
      'requests',
      'batches',
      'finalize',
      'webhooks',
      'maintenance',
    ]) {
      await page.getByText(queue, { exact: true }).first().waitFor();
    }
    await page.screenshot({
      path: '/tmp/dashboard-overview.png',
      fullPage: true,
    });
    await context.close();
  });

  it('shows the completed erasure job, with subject ids hidden', async () => {
    const context = await browser.newContext({
      httpCredentials: {
        username: DASHBOARD_USER,
        password: DASHBOARD_PASSWORD,
      },
    });
    const page = await context.newPage();

    await page.goto(
      `${stack.server.url}/dashboard/queue/finalize?status=completed`,
    );
    await page.getByText(requestId).first().waitFor();
    await page.screenshot({
      path: '/tmp/dashboard-finalize.png',
      fullPage: true,
    });
    const text = await page.locator('body').innerText();
    for (const user of USERS) expect(text).not.toContain(user);
    await context.close();
  });

  it('gets 401 without credentials', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const statuses: number[] = [];
    page.on('response', (response) => statuses.push(response.status()));

    // Headless Chromium cannot show the password prompt a Basic challenge
    // asks for, so the navigation itself fails after the 401 arrives.
    const navigation = await page
      .goto(`${stack.server.url}/dashboard`)
      .then((response) => response?.status())
      .catch((error: Error) => error.message);

    expect(String(navigation)).toMatch(/^401$|ERR_INVALID_AUTH_CREDENTIALS/);
    expect(statuses).toEqual([401]);
    await context.close();
  });
});
