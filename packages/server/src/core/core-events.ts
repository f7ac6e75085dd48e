import { EventEmitter } from 'node:events';
import type { ReadResult, SendResult, WithdrawResult, Origin } from '../domain/types.ts';

/** What happened, published after the change committed (for live pushes to connected clients). */
export interface CoreEventMap {
  /** Messages stored (or online-only messages accepted) for one or more recipients. */
  message: [{ appId: number; results: SendResult[]; syncOtherMachine: 1 | 2; onlineOnly: boolean; origin: Origin }];
  /** A read report moved a watermark (or was repeated). */
  read: [{ appId: number; result: ReadResult; origin: Origin }];
  /** A message was recalled. */
  withdraw: [{ appId: number; result: WithdrawResult; origin: Origin }];
}

/** In-process publish/subscribe of committed changes. Listeners must not throw. */
export class CoreEvents extends EventEmitter<CoreEventMap> {
  constructor() {
    super();
    this.setMaxListeners(0);
  }
}
