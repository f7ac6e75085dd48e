/**
 * `kill -9` under load on PostgreSQL: the crash-recovery test file, loaded after `READWIRE_TEST_STORE=postgres` is
 * set, so its server child uses a PostgreSQL schema. The restarted server ends the killed one's leases at once: the
 * killed process's liveness lock went with its connection.
 * @module
 */
process.env.READWIRE_TEST_STORE = 'postgres';
await import('./crash-recovery.test.ts');
