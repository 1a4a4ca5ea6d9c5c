import { keyKind } from '../../bench/redis-inspection.js';
import { parseUsedMemory } from '../../bench/redis-server.js';

describe('keyKind', () => {
  it('masks request ids so a request’s keys sum up by kind', () => {
    expect(keyKind('p', 'p:req:req_abc')).toBe('req:*');
    expect(keyKind('p', 'p:req:req_abc:users')).toBe('req:*:users');
  });

  it('tells BullMQ job hashes from the queue’s own keys', () => {
    expect(keyKind('p', 'p:batches:req_abc~b42')).toBe('batches:<job>');
    expect(keyKind('p', 'p:batches:req_abc~b42:logs')).toBe(
      'batches:<job>:logs',
    );
    expect(keyKind('p', 'p:batches:wait')).toBe('batches:wait');
    expect(keyKind('p', 'p:batches:stalled-check')).toBe(
      'batches:stalled-check',
    );
  });

  it('groups any other key by its first segment', () => {
    expect(keyKind('p', 'p:rate:deleteUsers')).toBe('rate:*');
    expect(keyKind('p', 'p:updates')).toBe('updates');
  });
});

describe('parseUsedMemory', () => {
  it('reads used_memory from an INFO memory reply, not its look-alikes', () => {
    const info = [
      '# Memory',
      'used_memory:1048576',
      'used_memory_human:1.00M',
      'used_memory_rss:4194304',
    ].join('\r\n');

    expect(parseUsedMemory(info)).toBe(1_048_576);
    expect(() => parseUsedMemory('# Memory\r\n')).toThrow(/used_memory/);
  });
});
