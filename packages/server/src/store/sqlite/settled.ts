/**
 * Runs a synchronous SQLite call now and returns its value or error as a settled promise: the asynchronous contract
 * of the store and the outbox over better-sqlite3's synchronous API (a throw becomes a rejection, never escapes).
 */
export function settled<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
