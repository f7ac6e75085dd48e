/**
 * Claim at insert on a real SQLite file: a write leases the head events it creates when the dispatcher's side
 * (`InsertClaims`) gives a lease, writes the rest for the claims, hands the leased ones over only after its commit,
 * and never hands over what a failed or rolled-back write leased.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ClaimedEvent, InsertClaims, InsertLease } from '../../src/dispatch/outbox.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const APP = 7;
const ORIGIN = { clientIp: '10.0.0.1', optPlatform: 'RESTAPI' };
const READ = { kind: 'read', enabledCallbacks: ['C2C.CallbackAfterMsgReport'], origin: ORIGIN } as const;

/** The dispatcher's side, recording what the store asks: `room` leases per transaction. */
class RecordingClaims implements InsertClaims {
  room = 10;
  given = 0;
  resets = 0;
  adopted: ClaimedEvent[] = [];
  adoptedWhileCommitted: boolean[] = [];
  private readonly store: () => SqliteStore;
  constructor(store: () => SqliteStore) {
    this.store = store;
  }
  reset(): void {
    this.resets++;
    this.given = 0;
  }
  take(): InsertLease | undefined {
    if (this.given >= this.room) return undefined;
    this.given++;
    return { owner: 'dispatcher-1', leaseMs: 60_000 };
  }
  adopt(events: ClaimedEvent[]): void {
    this.adopted.push(...events);
    this.adoptedWhileCommitted.push(!this.store().db.inTransaction);
  }
}

describe('claim at insert', () => {
  let dir: string;
  let store: SqliteStore;
  let claims: RecordingClaims;
  let reported: number[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'readwire-claim-insert-'));
    store = new SqliteStore({ path: join(dir, 'db.sqlite') });
    await store.importAccounts(
      APP,
      ['alice', 'bob', 'carol', 'peer'].map((userId) => ({ userId })),
    );
    claims = new RecordingClaims(() => store);
    store.claimOnInsert(claims);
    reported = [];
    store.onCommit((max) => reported.push(max));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const read = (reporter: string) => store.setRead(APP, { reporter, peer: 'peer', origin: ORIGIN }, { effects: READ });
  const rows = () =>
    store.db
      .prepare('SELECT id, ordering_key AS k, attempts, lease_owner AS owner FROM callback_events ORDER BY id')
      .all() as { id: number; k: string; attempts: number; owner: string | null }[];

  it('leases a head event as it is written and hands it over after the commit; later events of its key wait', async () => {
    await Promise.all([read('alice'), read('alice'), read('bob')]);
    assert.deepEqual(rows(), [
      { id: 1, k: 'alice', attempts: 1, owner: 'dispatcher-1' },
      { id: 2, k: 'alice', attempts: 0, owner: null },
      { id: 3, k: 'bob', attempts: 1, owner: 'dispatcher-1' },
    ]);
    assert.deepEqual(
      claims.adopted.map((e) => [e.rowId, e.orderingKey, e.attempt, e.scheduleAttempt, e.owner]),
      [
        [1, 'alice', 1, 1, 'dispatcher-1'],
        [3, 'bob', 1, 1, 'dispatcher-1'],
      ],
    );
    assert.deepEqual(claims.adoptedWhileCommitted, [true, true], 'handed over after the commit');
    const body = JSON.parse(claims.adopted[0]!.body) as Record<string, unknown>;
    assert.equal(body.Report_Account, 'alice');
    const stored = store.db.prepare('SELECT body FROM callback_events WHERE id = 1').pluck().get();
    assert.equal(claims.adopted[0]!.body, stored, 'the exact stored body');
    assert.deepEqual(reported, [3], 'the commit that wrote an unleased event reports the head row id');
    await read('carol');
    assert.deepEqual(reported, [3, 3], 'a commit of leased events only reports nothing new');
  });

  it('writes events for the claims when the dispatcher has no room', async () => {
    claims.room = 1;
    await Promise.all([read('alice'), read('bob'), read('carol')]);
    assert.deepEqual(
      rows().map((r) => [r.k, r.owner]),
      [
        ['alice', 'dispatcher-1'],
        ['bob', null],
        ['carol', null],
      ],
    );
    assert.deepEqual(
      claims.adopted.map((e) => e.orderingKey),
      ['alice'],
    );
  });

  it('hands over nothing that a failed write leased, and frees the room of a rolled-back run', async () => {
    const failing = store.setRead(APP, { reporter: 'nobody', peer: 'peer', origin: ORIGIN }, { effects: READ });
    const results = await Promise.allSettled([read('alice'), failing, read('bob')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal(claims.resets, 2, 'the optimistic run that rolled back, and its rerun');
    assert.deepEqual(
      claims.adopted.map((e) => [e.rowId, e.orderingKey]),
      [
        [1, 'alice'],
        [2, 'bob'],
      ],
      'the rerun’s rows, each once',
    );
    assert.deepEqual(
      rows().map((r) => [r.id, r.k, r.owner]),
      [
        [1, 'alice', 'dispatcher-1'],
        [2, 'bob', 'dispatcher-1'],
      ],
    );
  });
});
