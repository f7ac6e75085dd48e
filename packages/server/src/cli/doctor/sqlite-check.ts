import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { migrations } from '../../store/sqlite/migrations/index.ts';
import type { CheckResult, DoctorContext } from './doctor-check.ts';

/** Free space under which the storage check warns. */
export const LOW_DISK_BYTES = 256 * 1024 * 1024;

const fail = (message: string, fix: string): CheckResult => ({ check: 'storage', status: 'fail', message, fix });

/** The nearest existing folder at or above `dir`. */
function nearestExisting(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

/** Why no file can be created in `dir`, if so (tried by creating and removing one: permission bits do not bind root). */
function writableFolder(dir: string): string | undefined {
  const probe = resolve(dir, `.readwire-doctor-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The schema version recorded in an existing database, with a write lock taken and released to prove writability. */
function inspectDatabase(path: string): { version: number } | { problem: CheckResult } {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 0 });
    db.exec('BEGIN IMMEDIATE; ROLLBACK');
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    const row = table
      ? db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_migrations').get()
      : undefined;
    return { version: row?.v ?? 0 };
  } catch (error) {
    const m = (error as Error).message;
    if (/locked|busy/i.test(m)) {
      return {
        problem: fail(
          `SQLite ${path} is in use by another process`,
          'stop the readwire server that runs on it before starting another one (one server per database file)',
        ),
      };
    }
    return {
      problem: fail(
        `SQLite ${path} cannot be opened for writing: ${m}`,
        'point storage.sqlite.path at a SQLite database file Readwire can write',
      ),
    };
  } finally {
    db?.close();
  }
}

/**
 * The SQLite storage: the database's folder exists or can be created and is writable, an existing database opens
 * for writing (not held by a running server, not a newer schema), and the disk has room.
 */
export function sqliteCheck(ctx: DoctorContext): Promise<CheckResult[]> {
  return Promise.resolve(sqliteFindings(ctx));
}

function sqliteFindings(ctx: DoctorContext): CheckResult[] {
  const configured = ctx.config.storage.sqlite.path;
  if (configured === ':memory:') {
    return [
      {
        check: 'storage',
        status: 'warn',
        message: 'SQLite in memory: nothing is kept across restarts',
        fix: 'set storage.sqlite.path to a file',
      },
    ];
  }
  const path = resolve(configured);
  const dir = dirname(path);
  const existing = nearestExisting(dir);
  if (!statSync(existing).isDirectory()) {
    return [
      fail(`SQLite ${path}: ${existing} is a file, not a folder`, 'set storage.sqlite.path to a file in a folder'),
    ];
  }
  if (existing !== dir) {
    try {
      rmdirSync(mkdtempSync(join(existing, '.readwire-doctor-')));
    } catch (error) {
      return [
        fail(
          `SQLite ${path}: the folder ${dir} does not exist and cannot be created in ${existing}: ${(error as Error).message}`,
          `create ${dir} for the user that runs readwire`,
        ),
      ];
    }
  } else {
    const problem = writableFolder(dir);
    if (problem !== undefined) {
      return [
        fail(
          `SQLite ${path}: cannot write in ${dir}: ${problem}`,
          `make ${dir} writable for the user that runs readwire (SQLite writes its WAL beside the database)`,
        ),
      ];
    }
  }
  const latest = Math.max(...migrations.map((m) => m.version));
  let state: string;
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) return [fail(`SQLite ${path} is a folder`, 'set storage.sqlite.path to a file')];
    const r = inspectDatabase(path);
    if ('problem' in r) return [r.problem];
    if (r.version > latest) {
      return [
        fail(
          `SQLite ${path} has schema version ${r.version}, newer than this readwire's ${latest}`,
          'run the readwire version that wrote it (or newer); downgrades are not supported',
        ),
      ];
    }
    state =
      r.version === latest
        ? `writable, schema version ${latest} (current)`
        : `writable, schema version ${r.version}: migrations up to ${latest} run at start`;
  } else {
    state = existing === dir ? 'will be created (folder writable)' : `will be created with its folder ${dir}`;
  }
  const results: CheckResult[] = [{ check: 'storage', status: 'ok', message: `SQLite ${path}: ${state}` }];
  const fs = statfsSync(existing);
  const free = fs.bavail * fs.bsize;
  if (free < LOW_DISK_BYTES) {
    results.push({
      check: 'storage',
      status: 'warn',
      message: `only ${Math.round(free / 1048576)} MB free on the disk of ${existing}`,
      fix: 'free disk space: a full disk stops every write',
    });
  }
  return results;
}
