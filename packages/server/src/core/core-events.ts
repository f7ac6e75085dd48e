import { EventEmitter } from 'node:events';
import type { ReadResult, SendResult, WithdrawResult, Origin } from '../domain/types.ts';

/** What happened, published after the change committed (for live pushes to connected clients and the console). */
export interface CoreEventMap {
  /** Messages stored (or online-only messages accepted) for one or more recipients. */
  message: [{ appId: number; results: SendResult[]; syncOtherMachine: 1 | 2; onlineOnly: boolean; origin: Origin }];
  /** A read report moved a watermark (or was repeated). */
  read: [{ appId: number; result: ReadResult; origin: Origin }];
  /** A message was recalled. */
  withdraw: [{ appId: number; result: WithdrawResult; origin: Origin }];
  /** A callback attempt ended (the dispatcher of this node ran it). */
  attempt: [CallbackAttemptOutcome];
}

/** One callback attempt as it ended: what became of the event and what the receiver answered. */
export interface CallbackAttemptOutcome {
  appId: number;
  eventId: string;
  command: string;
  /** The event's ordering key (`Report_Account` of read reports, `From_Account` of sends and recalls). */
  account: string;
  /** 1-based attempt number. */
  attempt: number;
  outcome: 'delivered' | 'retry' | 'dead' | 'aborted';
  /** HTTP status, when the receiver answered. */
  status: number | undefined;
  latencyMs: number;
}

/** In-process publish/subscribe of committed changes. Listeners must not throw. */
export class CoreEvents extends EventEmitter<CoreEventMap> {
  constructor() {
    super();
    this.setMaxListeners(0);
  }
}
