/** What a client session needs from its connection; the WebSocket adapter implements it, tests may fake it. */
export interface SessionTransport {
  /** Queues one text frame. */
  send(text: string): void;
  /** Bytes queued for this client and not yet written to the network. */
  readonly bufferedAmount: number;
  /** Closes the connection with a close code and a human-readable reason (at most 123 bytes). */
  close(code: number, reason: string): void;
}
