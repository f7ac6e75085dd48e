import { Worker } from 'node:worker_threads';
import type { Outbox } from '../../dispatch/outbox.ts';
import type { OutboxAdmin } from '../../dispatch/outbox-admin.ts';
import { ImError } from '../../errors/im-error.ts';
import type { ServerStore } from '../server-store.ts';
import type { SqliteOptions } from '../sqlite/open-sqlite.ts';
import { outboxMethods, storeMethods } from './callable-methods.ts';
import {
  decodeError,
  type Call,
  type CallTarget,
  type EncodedError,
  type FromStoreThread,
  type ToStoreThread,
} from './store-thread-protocol.ts';

type StoreMethod = (typeof storeMethods)[number];

const FROM_SOURCES = import.meta.url.endsWith('.ts');
/** The store thread's entry module, next to this one (`.ts` when run from sources, `.js` when built). */
const ENTRY = new URL(`./store-thread-main${FROM_SOURCES ? '.ts' : '.js'}`, import.meta.url);

/**
 * Starts the store thread. Built code runs the `.js` entry directly. Run from sources (tests, benches, through tsx),
 * the thread first registers tsx itself: on Node 20 a worker does not inherit the main thread's `--import tsx`.
 */
function startWorker(options: SqliteOptions): Worker {
  if (!FROM_SOURCES) return new Worker(ENTRY, { workerData: options });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const boot = `import(${tsx}).then((t) => { t.register(); return import(${JSON.stringify(ENTRY.href)}); })`;
  return new Worker(boot, { eval: true, workerData: options });
}

/**
 * The SQLite store in a worker thread of its own. The main thread keeps HTTP, auth, the client gateway and the
 * callback sends; every SQL statement, every commit and its fsync run in the store thread, on the other core.
 *
 * Calls made in one turn of the main event loop travel as **one** message and commit in **one** group commit (so
 * batching, durability and "a resolved write is durable" are exactly those of {@link SqliteStore}); the answers come
 * back batched too, with the commit notification. Arguments and results are structured-clone data (the store
 * contract is designed for it), and `ImError`s keep their class and code across the boundary.
 *
 * If the store thread dies, pending calls reject and the error is rethrown on the main thread: a server whose store
 * is gone must stop (a supervisor restarts it; nothing acknowledged is lost).
 */
export class ThreadedStore implements ServerStore {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private queue: Call[] = [];
  private flushScheduled = false;
  private nextId = 1;
  private readonly commitListeners: ((maxEventRowId: number) => void)[] = [];
  private closing: Promise<void> | undefined;
  private stopped = false;

  /** The callback outbox in the store thread. */
  readonly outbox: Outbox & OutboxAdmin;

  private constructor(worker: Worker) {
    this.worker = worker;
    const outbox: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const m of outboxMethods) outbox[m] = (...args) => this.call('outbox', m, args);
    this.outbox = outbox as unknown as Outbox & OutboxAdmin;
    worker.on('message', (m: FromStoreThread) => this.onMessage(m));
    worker.on('error', (error) => this.died(error));
    worker.on('exit', (code) => {
      if (!this.closing) this.died(new Error(`the store thread exited with code ${code}`));
    });
  }

  /** Starts the store thread and opens the database there (migrations included); rejects as `new SqliteStore` would. */
  static open(options: SqliteOptions): Promise<ThreadedStore> {
    const worker = startWorker(options);
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`the store thread exited with code ${code} while opening the database`));
      };
      const onMessage = (m: FromStoreThread) => {
        cleanup();
        if ('ready' in m) resolve(new ThreadedStore(worker));
        else if ('failed' in m) {
          void worker.terminate();
          reject(decodeError(m.failed));
        }
      };
      const cleanup = () => {
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.off('message', onMessage);
      };
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.once('message', onMessage);
    });
  }

  private method<K extends StoreMethod>(name: K): ServerStore[K] {
    return ((...args: unknown[]) => this.call('store', name, args)) as ServerStore[K];
  }

  readonly importAccounts = this.method('importAccounts');
  readonly existingAccounts = this.method('existingAccounts');
  readonly sendMessage = this.method('sendMessage');
  readonly batchSendMessage = this.method('batchSendMessage');
  readonly setRead = this.method('setRead');
  readonly getUnread = this.method('getUnread');
  readonly getRoamMessages = this.method('getRoamMessages');
  readonly withdrawMessage = this.method('withdrawMessage');
  readonly listConversations = this.method('listConversations');
  readonly listMessages = this.method('listMessages');
  readonly startSyncLog = this.method('startSyncLog');
  readonly readSyncEvents = this.method('readSyncEvents');
  readonly pruneSyncEvents = this.method('pruneSyncEvents');
  readonly inspect = this.method('inspect');

  onCommit(listener: (maxEventRowId: number) => void): void {
    this.commitListeners.push(listener);
  }

  /** Queues a call for this turn's message to the store thread. */
  private call(target: CallTarget, method: string, args: unknown[]): Promise<unknown> {
    if (this.closing || this.stopped) return Promise.reject(new ImError('INTERNAL', 'store is closed'));
    const id = this.nextId++;
    const promise = new Promise<unknown>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.queue.push([id, target, method, args]);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return promise;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0 || this.stopped) return;
    const message: ToStoreThread = { calls: this.queue };
    this.queue = [];
    this.worker.postMessage(message);
  }

  private onMessage(m: FromStoreThread): void {
    if (!('replies' in m)) return;
    for (const [id, ok, value] of m.replies) {
      const w = this.waiting.get(id);
      if (!w) continue;
      this.waiting.delete(id);
      if (ok) w.resolve(value);
      else w.reject(decodeError(value as EncodedError));
    }
    if (m.commit !== undefined) for (const l of this.commitListeners) l(m.commit);
  }

  private died(error: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const w of this.waiting.values()) w.reject(new ImError('INTERNAL', 'the store thread stopped', { cause: error }));
    this.waiting.clear();
    if (!this.closing) {
      process.nextTick(() => {
        throw new Error('the store thread failed; the server cannot continue', { cause: error });
      });
    }
  }

  /** Sends the calls still queued, lets the store thread commit them and close the database, and ends the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.stopped) return;
      this.flush();
      const closed = new Promise<void>((resolve) => {
        this.worker.on('message', (m: FromStoreThread) => {
          if ('closed' in m) resolve();
        });
        this.worker.once('exit', () => resolve());
      });
      this.worker.postMessage({ close: true } satisfies ToStoreThread);
      await closed;
      this.stopped = true;
      await this.worker.terminate();
    })();
    return this.closing;
  }
}
