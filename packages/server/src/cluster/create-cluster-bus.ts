import type { Config } from '../config/config-schema.ts';
import { SingleNodeBus, type ClusterBus } from './cluster-bus.ts';
import { PgClusterBus } from './pg-cluster-bus.ts';
import type { NotifierLog } from './pg-notifier.ts';

/**
 * The cluster bus of a configuration: with `storage.postgres`, the nodes on its database and schema wake each other
 * over LISTEN/NOTIFY; with the embedded SQLite store there is one node and nothing to tell.
 */
export function createClusterBus(config: Config, log: NotifierLog): ClusterBus {
  const pg = config.storage.postgres;
  if (!pg) return new SingleNodeBus();
  return new PgClusterBus({
    connection: pg.url === undefined ? {} : { connectionString: pg.url },
    schema: pg.schema,
    log,
  });
}
