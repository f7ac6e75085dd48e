import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newEventId } from '../../src/store/sqlite/event-id.ts';

describe('newEventId (UUIDv7)', () => {
  it('is a version-7, variant-10 UUID carrying the millisecond time', () => {
    const id = newEventId(1_790_000_000_123);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), 1_790_000_000_123);
  });

  it('sorts in creation order, also within one millisecond and when the clock steps back', () => {
    const ids: string[] = [];
    const t = 1_800_000_000_000;
    for (let i = 0; i < 5000; i++) ids.push(newEventId(t + Math.floor(i / 1000)));
    ids.push(newEventId(t - 5000));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });
});
