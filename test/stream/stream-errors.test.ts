import { isRetryable } from '../../src/errors/gdpr-error.js';
import {
  isStreamNotFound,
  StreamHttpError,
  StreamRateLimitError,
  StreamResponseError,
} from '../../src/stream/stream-errors.js';

describe('StreamHttpError', () => {
  it.each([408, 429, 500, 502, 503, 504])(
    'is retryable for HTTP %i',
    (status) => {
      expect(new StreamHttpError('getTask', { status }).retryable).toBe(true);
    },
  );

  it.each([400, 401, 403, 404, 413, 431])(
    'is permanent for HTTP %i',
    (status) => {
      expect(new StreamHttpError('getTask', { status }).retryable).toBe(false);
    },
  );

  it.each([-1, 9, 23])('is retryable for Stream code %i', (streamCode) => {
    const error = new StreamHttpError('getTask', { status: 400, streamCode });
    expect(error.retryable).toBe(true);
  });

  it('is permanent when Stream marks the error unrecoverable', () => {
    const error = new StreamHttpError('deleteUsers', {
      status: 500,
      streamCode: -1,
      unrecoverable: true,
    });
    expect(error.retryable).toBe(false);
    expect(isRetryable(error)).toBe(false);
  });

  it('reads endpoint, status, code and message in its message', () => {
    const error = new StreamHttpError('deleteUsers', {
      status: 400,
      streamCode: 4,
      streamMessage: 'user_ids is required',
    });
    expect(error.message).toBe(
      'Stream deleteUsers failed: HTTP 400, code 4: user_ids is required',
    );
    expect(error.code).toBe('stream_http_error');
    expect(error.name).toBe('StreamHttpError');
  });
});

describe('StreamRateLimitError', () => {
  it('is a retryable HTTP error with its own code and a retry time', () => {
    const error = new StreamRateLimitError('queryUsers', {
      status: 429,
      streamCode: 9,
      retryAt: 1234,
    });
    expect(error).toBeInstanceOf(StreamHttpError);
    expect(error.code).toBe('stream_rate_limited');
    expect(error.retryable).toBe(true);
    expect(error.retryAt).toBe(1234);
  });
});

describe('isStreamNotFound', () => {
  it('is true for HTTP 404 or Stream code 16 only', () => {
    expect(
      isStreamNotFound(new StreamHttpError('getTask', { status: 404 })),
    ).toBe(true);
    expect(
      isStreamNotFound(
        new StreamHttpError('getTask', { status: 400, streamCode: 16 }),
      ),
    ).toBe(true);
    expect(
      isStreamNotFound(new StreamHttpError('getTask', { status: 400 })),
    ).toBe(false);
    expect(isStreamNotFound(new StreamResponseError('getTask', 200, 'x'))).toBe(
      false,
    );
    expect(isStreamNotFound(new Error('404'))).toBe(false);
  });
});
