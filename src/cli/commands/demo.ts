import type { Command } from 'commander';

const EXAMPLES = `
Examples:
  $ npm run demo
  $ stream-gdpr demo
  $ HTTP_PORT=9000 REDIS_URL=redis://127.0.0.1:6380 stream-gdpr demo

Needs nothing configured. Uses Redis at REDIS_URL (default
redis://127.0.0.1:6379) or, when that does not answer, starts a private
redis-server if one is installed. Starts the Stream sandbox, the workers and
the server (HTTP_PORT, default 8080, or a free port) on generated
credentials and a key prefix of its own, runs a sample export and erasure,
and prints the dashboard URL and an API example. Ctrl-C stops it and removes
everything it started, its Redis keys included.`;

/** `stream-gdpr demo`: the whole system on local defaults. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('show the whole system working locally, with sample requests')
    .addHelpText('after', EXAMPLES)
    .action(async () => {
      const { runDemo } = await import('../demo/run-demo.js');
      process.exitCode = await runDemo(process.env);
    });
}
