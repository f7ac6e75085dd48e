/**
 * The PostgreSQL store: the shared contract against the real server (a fresh schema per store, dropped after).
 * @module
 */
import { freshPgStore } from '../helpers/pg-test-db.ts';
import { storeContract } from './store-contract.ts';

storeContract('PostgreSQL', async () => {
  const fresh = await freshPgStore();
  return { store: fresh.store, cleanup: () => fresh.cleanup() };
});
