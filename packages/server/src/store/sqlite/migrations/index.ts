import { migration0001 } from './0001-initial.ts';
import { migration0002 } from './0002-callback-delivery.ts';
import { migration0003 } from './0003-sync-log.ts';
import { migration0004 } from './0004-no-account-index.ts';
import { migration0005 } from './0005-read-receipts.ts';
import { migration0006 } from './0006-kick-stamp.ts';
import { migration0007 } from './0007-cleared-history.ts';

/** A numbered schema change; applied once, in order, each in its own transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. Append new ones; never edit an applied one. */
export const migrations: Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
];
