import type pg from 'pg';

/** The advisory-lock key of a lease owner's liveness. */
const KEY = `hashtextextended('readwire-node:' || $1, 0)`;

/**
 * Which lease owners are alive, across nodes, without heartbeats: a node holds a session-level advisory lock named
 * after its lease owner on a connection of its own for as long as it runs. PostgreSQL releases the lock when that
 * session ends — the process exited or was killed, or its host vanished and the connection was reset — so another
 * node that can take the lock knows the owner is gone and may end its leases at once instead of waiting for them to
 * expire. A node whose liveness connection dropped (a database restart) looks gone until it reconnects: its leases
 * may then be taken over early, which costs a duplicate delivery at most (settles stay fenced by owner and attempt).
 */
export class NodeLiveness {
  private readonly connect: () => pg.Client;
  private client: Promise<pg.Client> | undefined;
  private readonly held = new Set<string>();
  private closed = false;

  constructor(connect: () => pg.Client) {
    this.connect = connect;
  }

  private session(): Promise<pg.Client> {
    if (!this.client) {
      const client = this.connect();
      client.on('error', () => {
        // The session ended and our locks with it: take them again on a new one (retrying while the database is down).
        this.client = undefined;
        this.reconnectSoon();
      });
      this.client = client.connect().then(async () => {
        for (const owner of this.held) await client.query(`SELECT pg_advisory_lock(${KEY})`, [owner]);
        return client;
      });
      this.client.catch(() => {
        this.client = undefined;
        this.reconnectSoon();
      });
    }
    return this.client;
  }

  private reconnectSoon(): void {
    if (this.closed || this.held.size === 0) return;
    setTimeout(() => {
      if (this.closed || this.client) return;
      this.session().catch(() => this.reconnectSoon());
    }, 1000).unref();
  }

  /** Holds `owner`'s liveness lock from now on (idempotent). */
  async hold(owner: string): Promise<void> {
    if (this.closed || this.held.has(owner)) return;
    this.held.add(owner);
    const client = await this.session();
    await client.query(`SELECT pg_advisory_lock(${KEY})`, [owner]);
  }

  /** The owners among `owners` that hold no liveness lock (their process is gone); never one this node holds. */
  async gone(owners: string[]): Promise<string[]> {
    const candidates = owners.filter((o) => !this.held.has(o));
    if (candidates.length === 0) return [];
    const client = await this.session();
    const out: string[] = [];
    for (const owner of candidates) {
      const { rows } = await client.query<{ free: boolean }>(`SELECT pg_try_advisory_lock(${KEY}) AS free`, [owner]);
      if (rows[0]?.free) {
        out.push(owner);
        await client.query(`SELECT pg_advisory_unlock(${KEY})`, [owner]);
      }
    }
    return out;
  }

  /** Ends the session (its locks go with it). */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    if (client) await (await client.catch(() => undefined))?.end();
  }
}
