/** A listener of an event with arguments `A`. */
export type Listener<A extends unknown[]> = (...args: A) => void;

type StoredListener = (...args: unknown[]) => void;

/**
 * A minimal event emitter typed by an event map (`{ name: [arg, …] }`), with no Node dependency so the client runs in
 * browsers. A listener that throws does not stop the others; its error is reported through `onListenerError`.
 */
export class TypedEmitter<M extends { [K in keyof M]: unknown[] }> {
  private readonly listeners = new Map<keyof M, Set<StoredListener>>();
  private readonly onListenerError: (error: unknown) => void;

  constructor(
    onListenerError: (error: unknown) => void = (e) =>
      queueMicrotask(() => {
        throw e;
      }),
  ) {
    this.onListenerError = onListenerError;
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as unknown as StoredListener);
    return () => this.off(event, listener);
  }

  /** Adds a listener called at most once. */
  once<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void {
    const off = this.on(event, (...args) => {
      off();
      listener(...args);
    });
    return off;
  }

  /** Removes a listener. */
  off<K extends keyof M>(event: K, listener: Listener<M[K]>): void {
    this.listeners.get(event)?.delete(listener as unknown as StoredListener);
  }

  /** Calls the listeners of `event`. */
  protected emit<K extends keyof M>(event: K, ...args: M[K]): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) {
      try {
        l(...args);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
