import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endOfTurn } from '../../src/store/sqlite/end-of-turn.ts';

describe('endOfTurn', () => {
  it('gives every caller of one turn the same wait, released together after the turn', async () => {
    const order: string[] = [];
    const first = endOfTurn();
    const second = endOfTurn();
    assert.equal(first, second, 'one shared wait per turn');
    void first.then(() => order.push('a'));
    void second.then(() => order.push('b'));
    await Promise.resolve();
    assert.deepEqual(order, [], 'not released within the turn');
    await first;
    assert.deepEqual(order, ['a', 'b']);
  });

  it('starts a new wait in the next turn', async () => {
    const earlier = endOfTurn();
    await earlier;
    assert.notEqual(endOfTurn(), earlier);
  });
});
