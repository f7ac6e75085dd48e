import { pgMigration0001 } from './0001-initial.ts';
import { pgMigration0002 } from './0002-round-trips.ts';
import { pgMigration0003 } from './0003-receipts-and-kicks.ts';
import { pgMigration0004 } from './0004-cleared-history.ts';
import { pgMigration0005 } from './0005-presence.ts';
import { pgMigration0006 } from './0006-read-report.ts';
import { pgMigration0007 } from './0007-write-events.ts';
import { pgMigration0008 } from './0008-settle-events.ts';
import { pgMigration0009 } from './0009-batched-writes.ts';
import { pgMigration0010 } from './0010-settle-by-primary-key.ts';

/** A numbered schema change of the PostgreSQL store; applied once, in order, each in its own transaction. */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** Every PostgreSQL migration, in order. Append new ones; never edit an applied one. */
export const pgMigrations: PgMigration[] = [
  pgMigration0001,
  pgMigration0002,
  pgMigration0003,
  pgMigration0004,
  pgMigration0005,
  pgMigration0006,
  pgMigration0007,
  pgMigration0008,
  pgMigration0009,
  pgMigration0010,
];
