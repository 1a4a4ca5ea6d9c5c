import { GdprError } from './gdpr-error.js';

/** One problem found in caller input, located by a dotted field path. */
export interface InputIssue {
  readonly field: string;
  readonly message: string;
}

/**
 * Caller input failed validation. Nothing was enqueued or written. Messages
 * name the field and the rule, never the offending value (it may be an email
 * address or another identifier of a data subject).
 */
export class InputError extends GdprError {
  readonly code = 'invalid_input';
  readonly retryable = false;
  readonly issues: readonly InputIssue[];

  constructor(issues: readonly InputIssue[], options?: { cause?: unknown }) {
    super(InputError.describe(issues), options);
    this.issues = issues;
  }

  /** The first field at fault, for callers that report a single one. */
  get field(): string {
    return this.issues[0]?.field ?? '';
  }

  private static describe(issues: readonly InputIssue[]): string {
    const parts = issues
      .slice(0, 5)
      .map((issue) => `${issue.field || '(input)'}: ${issue.message}`);
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    return `Invalid input: ${parts.join('; ')}${more}`;
  }
}
