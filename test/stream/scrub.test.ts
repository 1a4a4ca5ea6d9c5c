import {
  safeCause,
  scrubText,
  sensitiveTerms,
} from '../../src/stream/scrub.js';

describe('scrubText', () => {
  it('replaces every id of the call, cids and their channel ids alike', () => {
    const terms = sensitiveTerms(['user-42', 'messaging:room-7']);
    const text = scrubText(
      "user-42 can't leave messaging:room-7; room-7 is owned by user-42",
      terms,
    );
    expect(text).toBe("[id] can't leave [id]; [id] is owned by [id]");
  });

  it('replaces a longer id whole before a shorter id it contains', () => {
    const terms = sensitiveTerms(['ann', 'anna']);
    expect(scrubText('anna and ann', terms)).toBe('[id] and [id]');
  });

  it('removes URLs and control characters and truncates', () => {
    const text = scrubText(
      'see https://x.test/users/u1/export?api_key=k\nnow ' + 'z'.repeat(300),
      [],
    );
    expect(text).not.toContain('https://');
    expect(text).not.toContain('\n');
    expect(text.startsWith('see [url] now')).toBe(true);
    expect(text.length).toBe(200);
  });
});

describe('safeCause', () => {
  it('keeps name and code but scrubs the message along the cause chain', () => {
    const inner = Object.assign(new Error('socket to u1 closed'), {
      code: 'ECONNRESET',
    });
    const outer = new TypeError('fetch https://h.test/users/u1 failed', {
      cause: inner,
    });
    const safe = safeCause(outer, ['u1']);
    expect(safe.name).toBe('TypeError');
    expect(safe.message).toBe('fetch [url] failed');
    const cause = safe.cause as Error & { code?: string };
    expect(cause.message).toBe('socket to [id] closed');
    expect(cause.code).toBe('ECONNRESET');
    expect(safe.stack).not.toContain('u1');
  });
});
