import pg from 'pg';

/** What a notifier logs. */
export interface NotifierLog {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

/** Settings of a {@link PgNotifier}. */
export interface PgNotifierOptions {
  /** How to connect (node-postgres settings; without a connection string the `PG*` environment variables apply). */
  connection: pg.ClientConfig;
  /** The LISTEN/NOTIFY channel (one per deployment, i.e. per database schema). */
  channel: string;
  /** This node's id: notifications it sent itself are not handed to its listeners. */
  nodeId: string;
  /** `application_name` of the listening connection; nodes count each other by it. */
  applicationName: string;
  /** Topics published within this many ms go out as one NOTIFY (default 5). */
  coalesceMs?: number | undefined;
  /** First and longest wait between reconnection attempts (defaults 100 and 2,000 ms; doubles, with jitter). */
  reconnectMinMs?: number | undefined;
  reconnectMaxMs?: number | undefined;
  /** A probe on the connection that takes longer than this counts as a lost connection (default 5,000 ms). */
  probeTimeoutMs?: number | undefined;
  log: NotifierLog;
}

/**
 * One dedicated PostgreSQL connection that LISTENs on the deployment's channel and sends the node's NOTIFYs.
 *
 * - Sending: `publish(topic)` only marks the topic; at most one `pg_notify` per `coalesceMs` goes out, outside any
 *   write transaction (after the commits it reports), so the instance-wide lock a NOTIFY takes at commit never
 *   serialises the writes themselves. The payload is `nodeId topic,topic…` (a few bytes).
 * - Receiving: `onMessage` listeners get the topics other nodes published.
 * - Losing the connection: it reconnects by itself with a doubling, jittered backoff; after every reconnect the
 *   `onReconnect` listeners are told that notifications may have been missed meanwhile, so readers read again.
 *   Publishes while disconnected are dropped (readers on the other nodes poll).
 * - `probe(sql)` runs a query on this connection with a timeout; a probe that times out ends the connection (a silent
 *   network loss is noticed).
 */
export class PgNotifier {
  private readonly options: PgNotifierOptions;
  private client: pg.Client | undefined;
  private connectedFlag = false;
  private stopped = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private sending = false;
  private readonly messageListeners: ((topics: string[], from: string) => void)[] = [];
  private readonly reconnectListeners: (() => void)[] = [];
  private readonly stateListeners: ((connected: boolean) => void)[] = [];
  /** NOTIFYs sent (for tests and metrics). */
  sent = 0;

  constructor(options: PgNotifierOptions) {
    this.options = options;
  }

  /** True while the listening connection is up and LISTENing. */
  get connected(): boolean {
    return this.connectedFlag;
  }

  /** Topics other nodes published. */
  onMessage(listener: (topics: string[], from: string) => void): void {
    this.messageListeners.push(listener);
  }

  /** The connection came back: notifications may have been missed while it was down. */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  /** The connection went down or came back up. */
  onState(listener: (connected: boolean) => void): void {
    this.stateListeners.push(listener);
  }

  /** Connects and LISTENs; rejects when the first connection fails (the caller decides whether to start at all). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Marks `topic` as changed here; sent with the next coalesced NOTIFY. */
  publish(topic: string): void {
    if (this.stopped) return;
    this.pending.add(topic);
    this.flushTimer ??= setTimeout(() => this.flush(), this.options.coalesceMs ?? 5);
  }

  /** Runs one statement on the listening connection, failing (and dropping the connection) after the probe timeout. */
  async probe<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = this.client;
    if (!client || !this.connectedFlag) throw new Error('not connected');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error('PostgreSQL did not answer the probe'));
        this.lost(client, new Error('probe timed out'));
      }, this.options.probeTimeoutMs ?? 5000);
    });
    try {
      const r = await Promise.race([client.query<T>(sql, params), timeout]);
      return r.rows;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends what is pending and closes the connection. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.size > 0 && this.connectedFlag) await this.send().catch(() => undefined);
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    this.setConnected(false);
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      ...this.options.connection,
      application_name: this.options.applicationName,
      keepAlive: true,
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (n) => {
      if (n.channel !== this.options.channel || !n.payload) return;
      const space = n.payload.indexOf(' ');
      const from = n.payload.slice(0, space);
      if (from === this.options.nodeId) return;
      const topics = n.payload.slice(space + 1).split(',');
      for (const l of this.messageListeners) l(topics, from);
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.options.channel)}`);
    } catch (error) {
      this.client = undefined;
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.attempt = 0;
    this.setConnected(true);
  }

  /** The connection failed: forget it and reconnect (once per lost connection). */
  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.setConnected(false);
    if (this.stopped) return;
    this.options.log.warn({ err: error.message }, 'PostgreSQL listening connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const min = this.options.reconnectMinMs ?? 100;
    const max = this.options.reconnectMaxMs ?? 2000;
    const base = Math.min(max, min * 2 ** Math.min(this.attempt, 16));
    this.attempt++;
    const delay = base / 2 + Math.random() * (base / 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().then(
        () => {
          if (this.stopped) return;
          this.options.log.info({}, 'PostgreSQL listening connection back');
          for (const l of this.reconnectListeners) l();
        },
        () => this.scheduleReconnect(),
      );
    }, delay);
  }

  private setConnected(value: boolean): void {
    if (this.connectedFlag === value) return;
    this.connectedFlag = value;
    for (const l of this.stateListeners) l(value);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.sending || this.pending.size === 0) return;
    if (!this.connectedFlag) {
      // Dropped: the other nodes' polls and their reconnects cover what this notification would have said.
      this.pending.clear();
      return;
    }
    this.sending = true;
    void this.send()
      .catch(() => undefined)
      .finally(() => {
        this.sending = false;
        if (this.pending.size > 0 && !this.stopped) {
          this.flushTimer ??= setTimeout(() => this.flush(), this.options.coalesceMs ?? 5);
        }
      });
  }

  private async send(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const payload = `${this.options.nodeId} ${[...this.pending].join(',')}`;
    this.pending.clear();
    this.sent++;
    await client.query('SELECT pg_notify($1, $2)', [this.options.channel, payload]);
  }
}
