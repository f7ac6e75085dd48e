/**
 * REST messaging and counts, and callback order, on PostgreSQL: the same test files, loaded after
 * `READWIRE_TEST_STORE=postgres` is set, so their test servers use a PostgreSQL schema per data directory
 * (`storageFor`). Any other server-level test file runs on PostgreSQL the same way:
 * `READWIRE_TEST_STORE=postgres npm test -- <path>`.
 * @module
 */
process.env.READWIRE_TEST_STORE = 'postgres';
await import('./messaging.test.ts');
await import('../dispatch/ordering.test.ts');
