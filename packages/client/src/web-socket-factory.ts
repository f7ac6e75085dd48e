/** The part of the WHATWG `WebSocket` the client uses (browsers, Deno, Bun, Node ≥ 22, and the `ws` package). */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
}

/** A `WebSocket` constructor. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/**
 * The WebSocket implementation to use: the one given, else the global `WebSocket`, else (Node 20, which has none)
 * the `ws` package, loaded only then so browser bundles never need it.
 */
export async function resolveWebSocket(given?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (given) return given;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return global;
  const ws = (await import('ws')) as unknown as { WebSocket: WebSocketConstructor };
  return ws.WebSocket;
}
