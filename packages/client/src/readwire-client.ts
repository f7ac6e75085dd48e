import { resolveOptions, type ClientEvents, type ClientState, type ReadwireClientOptions } from './client-options.ts';
import { GatewayConnection, type PushFrame } from './gateway-connection.ts';
import { PendingRequests } from './pending-requests.ts';
import { randomUint32, type SendOptions } from './send-options.ts';
import { ReadwireError } from './readwire-error.ts';
import { TypedEmitter } from './typed-emitter.ts';
import type {
  ConversationList,
  LoginInfo,
  MarkAllReadResult,
  MarkReadResult,
  MessageEvent,
  MessagePage,
  ModifyEvent,
  MsgElem,
  PeerReadEvent,
  ReadReceiptEvent,
  ReadReceiptResult,
  SendResult,
  UnreadEvent,
  UnreadTotals,
  WithdrawEvent,
} from './wire-types.ts';

/** Own sends remembered to drop their echo (the server pushes a message to every device of its sender, this one too). */
const OWN_SENDS_KEPT = 1024;

/**
 * A Readwire end-user client: logs in to the gateway with a UserSig, sends and marks read, lists conversations and
 * messages, and emits live events. It reconnects by itself and resumes from its cursor, so no event is lost or
 * repeated; requests made while offline wait and are (re)sent once logged in again (every operation is idempotent:
 * a repeated send carries the same MsgSeq/MsgRandom and the server stores it once).
 *
 * @example
 * ```ts
 * const client = new ReadwireClient({ url: 'ws://127.0.0.1:5080/v1/client', sdkAppId, userId: 'alice', userSig });
 * client.on('message', ({ message }) => console.log(message.from, message.body));
 * await client.connect();
 * await client.send('bob', 'hi');
 * ```
 */
export class ReadwireClient extends TypedEmitter<ClientEvents> {
  /** The user this client logs in as. */
  readonly userId: string;
  private readonly pending: PendingRequests;
  private readonly connection: GatewayConnection;
  private readonly ownSends = new Set<string>();
  private current: ClientState = 'idle';
  private lastCursor: string | undefined;
  private loginInfo: LoginInfo | undefined;
  private waiters: { resolve: (info: LoginInfo) => void; reject: (error: ReadwireError) => void }[] = [];
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly connectTimeoutMs: number;
  private readonly url: string;

  constructor(options: ReadwireClientOptions) {
    super();
    this.userId = options.userId;
    const resolved = resolveOptions(options);
    this.connectTimeoutMs = resolved.connectTimeoutMs;
    this.url = options.url;
    this.pending = new PendingRequests(resolved.requestTimeoutMs);
    this.lastCursor = options.cursor;
    this.connection = new GatewayConnection(options, resolved, () => this.lastCursor, {
      login: (info, generation) => this.onLogin(info, generation),
      push: (frame) => this.onPush(frame),
      reply: (frame) => this.pending.settle(frame),
      state: (state) => this.setState(state),
      fatal: (error) => this.stop(error, true),
    });
  }

  /** The connection state. */
  get state(): ClientState {
    return this.current;
  }

  /** The position of the last event received; save it to resume a later session (`options.cursor`). */
  get cursor(): string | undefined {
    return this.lastCursor;
  }

  /**
   * Connects and logs in; resolves at the first login, rejects if the login is refused or (the first time) if no
   * login succeeded within `connectTimeoutMs`.
   */
  connect(): Promise<LoginInfo> {
    if (this.current === 'closed') return Promise.reject(new ReadwireError('closed', 0, 'client is closed'));
    if (this.connection.online && this.loginInfo) return Promise.resolve(this.loginInfo);
    const p = new Promise<LoginInfo>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.current === 'idle') {
      this.startConnectTimer();
      void this.connection.open();
    }
    return p;
  }

  /** Until the first login: gives up after `connectTimeoutMs`, saying where it tried and what went wrong. */
  private startConnectTimer(): void {
    const ms = this.connectTimeoutMs;
    if (ms <= 0 || this.loginInfo) return;
    this.connectTimer = setTimeout(() => {
      if (this.loginInfo || this.current === 'closed') return;
      const c = this.connection;
      const last = c.lastFailure ?? 'the server did not answer';
      const message =
        `could not connect to ${this.url} and log in within ${ms} ms ` +
        `(${c.attempts} attempt${c.attempts === 1 ? '' : 's'}; last: ${last})`;
      this.stop(new ReadwireError('timeout', 0, message), true);
    }, ms);
  }

  /** Closes the connection for good; waiting requests fail with kind `closed`. */
  close(): Promise<void> {
    if (this.current !== 'closed') this.stop(new ReadwireError('closed', 0, 'client closed'), false);
    return Promise.resolve();
  }

  /** Sends a message: text, or Tencent `MsgBody` elements. */
  send(to: string, content: string | MsgElem[], options: SendOptions = {}): Promise<SendResult> {
    const body = typeof content === 'string' ? [{ MsgType: 'TIMTextElem', MsgContent: { Text: content } }] : content;
    const msgSeq = options.msgSeq ?? randomUint32();
    const msgRandom = options.msgRandom ?? randomUint32();
    this.ownSends.add(`${msgSeq}:${msgRandom}`);
    if (this.ownSends.size > OWN_SENDS_KEPT) this.ownSends.delete(this.ownSends.values().next().value!);
    const control = [...(options.noUnread ? ['NoUnread'] : []), ...(options.noLastMsg ? ['NoLastMsg'] : [])];
    return this.request<SendResult>('send', {
      to,
      msgSeq,
      msgRandom,
      body,
      cloudCustomData: options.cloudCustomData,
      syncOtherMachine: options.syncOtherMachine,
      msgLifeTime: options.msgLifeTime,
      onlineOnly: options.onlineOnly,
      sendMsgControl: control.length > 0 ? control : undefined,
    });
  }

  /**
   * Marks the conversation with `peer` read: everything received so far, or up to `readTime` (seconds). Your other
   * devices get `unread`, the peer gets `peerRead`, and the app backend `C2C.CallbackAfterMsgReport`.
   */
  markRead(peer: string, options: { readTime?: number } = {}): Promise<MarkReadResult> {
    return this.request('markRead', { peer, readTime: options.readTime });
  }

  /**
   * Marks every conversation read in one step (clears every C2C unread count). Your other devices get `unread` and
   * each peer's devices `peerRead` for every conversation it read; the app backend gets one
   * `C2C.CallbackAfterMsgReadAll` (not a `C2C.CallbackAfterMsgReport` per conversation).
   */
  markAllRead(): Promise<MarkAllReadResult> {
    return this.request('markAllRead', {});
  }

  /**
   * Sends per-message read receipts for messages `peer` sent you, by MsgKey (at most 100). The peer's devices get
   * `readReceipt` and see `readReceipt: true` on those messages; the app backend gets
   * `C2C.CallbackAfterMsgReadReceipt`. Unlike `markRead`, it changes no unread count and no read watermark.
   */
  sendReadReceipts(peer: string, msgKeys: string[]): Promise<ReadReceiptResult> {
    return this.request('readReceipt', { peer, msgKeys });
  }

  /** Your conversations, most recent first (pass `next` as `before` for more). */
  conversations(options: { limit?: number; before?: string } = {}): Promise<ConversationList> {
    return this.request('conversations', options);
  }

  /** Messages with `peer`, newest first (pass `next` as `before` for older ones). */
  messages(peer: string, options: { limit?: number; before?: string } = {}): Promise<MessagePage> {
    return this.request('messages', { peer, ...options });
  }

  /** Your total unread count and, for up to 10 `peers`, each conversation's. */
  totalUnread(peers?: string[]): Promise<UnreadTotals> {
    return this.request('totalUnread', peers ? { peers } : {});
  }

  private request<T>(op: string, data: unknown): Promise<T> {
    if (this.current === 'closed') return Promise.reject(new ReadwireError('closed', 0, 'client is closed'));
    const p = this.pending.add(op, data) as Promise<T>;
    if (this.connection.online) this.pending.sendUnsent(this.connection.generation, (f) => this.connection.send(f));
    else if (this.current === 'idle') this.connect().catch(() => undefined);
    return p;
  }

  private setState(state: ClientState): void {
    if (state === this.current || this.current === 'closed') return;
    this.current = state;
    this.emit('state', state);
  }

  private onLogin(info: LoginInfo, generation: number): void {
    clearTimeout(this.connectTimer);
    this.loginInfo = info;
    this.lastCursor = info.cursor;
    for (const w of this.waiters.splice(0)) w.resolve(info);
    this.emit('login', info);
    if (info.resync) this.emit('resync');
    this.pending.sendUnsent(generation, (f) => this.connection.send(f));
  }

  /** Emits a push once: entries of the sync log at or below the cursor were seen already and are dropped. */
  private onPush(frame: PushFrame): void {
    if (frame.seq !== undefined) {
      if (this.lastCursor !== undefined && Number(frame.seq) <= Number(this.lastCursor)) return;
      this.lastCursor = frame.seq;
    }
    const d = frame.data as unknown;
    switch (frame.event) {
      case 'message': {
        const m = d as MessageEvent;
        const own = m.message?.from === this.userId && this.ownSends.has(`${m.message.msgSeq}:${m.message.msgRandom}`);
        if (m.message && !own) this.emit('message', m);
        break;
      }
      case 'unread':
        this.emit('unread', d as UnreadEvent);
        break;
      case 'peerRead':
        this.emit('peerRead', d as PeerReadEvent);
        break;
      case 'withdraw':
        this.emit('withdraw', d as WithdrawEvent);
        break;
      case 'modify':
        this.emit('modify', d as ModifyEvent);
        break;
      case 'readReceipt':
        this.emit('readReceipt', d as ReadReceiptEvent);
        break;
      case 'synced':
        this.emit('synced', { cursor: this.lastCursor ?? '0' });
        break;
      case 'resync': {
        const cursor = String((d as { cursor: string }).cursor);
        if (this.lastCursor === undefined || Number(cursor) > Number(this.lastCursor)) this.lastCursor = cursor;
        this.emit('resync');
        break;
      }
    }
  }

  private stop(error: ReadwireError, report: boolean): void {
    clearTimeout(this.connectTimer);
    this.setState('closed');
    this.connection.stop();
    this.pending.failAll(error);
    for (const w of this.waiters.splice(0)) w.reject(error);
    if (report) this.emit('error', error);
  }
}
