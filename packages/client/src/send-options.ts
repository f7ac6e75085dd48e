/** Options of {@link ReadwireClient.send}. */
export interface SendOptions {
  cloudCustomData?: string;
  /** Set both `msgSeq` and `msgRandom` to make a retried send recognisable as the same message (default: random). */
  msgSeq?: number;
  msgRandom?: number;
  /** 2 = do not sync to your other devices and roaming (Tencent `SyncOtherMachine`). */
  syncOtherMachine?: 1 | 2;
  /** Offline storage seconds (Tencent `MsgLifeTime`, max 7 days). */
  msgLifeTime?: number;
  /** Deliver only to connected devices; not stored, not counted (Tencent `OnlineOnlyFlag`). */
  onlineOnly?: boolean;
  /** The message does not count as unread (`SendMsgControl: NoUnread`). */
  noUnread?: boolean;
  /** The message does not become the conversation's last message (`SendMsgControl: NoLastMsg`). */
  noLastMsg?: boolean;
}

/** A random 32-bit unsigned integer (MsgSeq/MsgRandom), from the platform's CSPRNG. */
export function randomUint32(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!;
}
