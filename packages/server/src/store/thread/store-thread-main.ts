// Entry point of the store thread: hosts the SQLite store (and its callback outbox) off the main event loop, so SQL,
// commits and their fsyncs run beside the HTTP work instead of on it. See threaded-store.ts.
import { parentPort, workerData } from 'node:worker_threads';
import type { SqliteOptions } from '../sqlite/open-sqlite.ts';
import { SqliteStore } from '../sqlite/sqlite-store.ts';
import { encodeError, type Call, type FromStoreThread, type Reply, type ToStoreThread } from './store-thread-protocol.ts';
import { callableMethods } from './callable-methods.ts';

const port = parentPort;
if (!port) throw new Error('store-thread-main runs in a worker thread');

const post = (message: FromStoreThread) => port.postMessage(message);

let store: SqliteStore;
try {
  store = new SqliteStore(workerData as SqliteOptions);
} catch (error) {
  post({ failed: encodeError(error) });
  port.close();
  throw error;
}
const targets = { store, outbox: store.outbox } as const;

let replies: Reply[] = [];
let commit: number | undefined;
let flushQueued = false;

/** Sends what settled since the last flush; queued as a microtask so a whole commit's calls leave in one message. */
function queueFlush(): void {
  if (flushQueued) return;
  flushQueued = true;
  queueMicrotask(() => {
    flushQueued = false;
    const message: FromStoreThread = { replies, commit };
    replies = [];
    commit = undefined;
    post(message);
  });
}

store.onCommit((max) => {
  commit = max;
  queueFlush();
});

function run([id, target, method, args]: Call): void {
  let result: Promise<unknown>;
  try {
    if (!callableMethods[target].has(method)) throw new Error(`the store thread has no method ${target}.${method}`);
    const object = targets[target] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    result = object[method]!(...args);
  } catch (error) {
    result = Promise.reject(error);
  }
  result.then(
    (value) => {
      replies.push([id, true, value]);
      queueFlush();
    },
    (error: unknown) => {
      replies.push([id, false, encodeError(error)]);
      queueFlush();
    },
  );
}

port.on('message', (message: ToStoreThread) => {
  if ('calls' in message) {
    for (const call of message.calls) run(call);
    return;
  }
  void store.close().then(() => {
    post({ closed: true });
    port.close();
  });
});
post({ ready: true });
