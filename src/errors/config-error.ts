import { GdprError } from './gdpr-error.js';
import type { InputIssue } from './input-error.js';

/**
 * The process environment is missing a value or holds a malformed one.
 * The message lists every variable at fault and what it expects; it never
 * echoes the values (they may be secrets).
 */
export class ConfigError extends GdprError {
  readonly code = 'invalid_config';
  readonly retryable = false;
  readonly issues: readonly InputIssue[];

  constructor(issues: readonly InputIssue[]) {
    super(
      [
        'Invalid configuration:',
        ...issues.map((issue) => `  - ${issue.field}: ${issue.message}`),
        'Set these environment variables (see .env.example) and start again.',
      ].join('\n'),
    );
    this.issues = issues;
  }
}
