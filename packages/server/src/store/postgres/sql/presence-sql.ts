import type { Sql } from '../pg-pool.ts';

/**
 * Shared presence (`PgPresence`): `presence_nodes` holds one heartbeat per node, `presence_devices` the devices logged
 * in to each node. Readers count a device only while its node's heartbeat is fresh, so the devices of a node that died
 * stop counting when its heartbeat ages, and any node deletes them later.
 *
 * **Locks.** A node writes only its own rows (its `presence_nodes` row, its devices by primary key), so nodes never
 * wait for each other; `replace` rewrites the node's devices in one transaction; `collect` deletes other nodes' rows
 * only once their heartbeat is long stale. Reads take no locks.
 */
export const presenceSql = {
  /** (node, now): this node's heartbeat. */
  beat: {
    name: 'rw_presence_beat',
    text: `INSERT INTO presence_nodes (node_id, heartbeat_at) VALUES ($1, $2)
      ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
  },
  /** (node, device, app, user, platform): a device logged in to this node. */
  join: {
    name: 'rw_presence_join',
    text: `INSERT INTO presence_devices (node_id, device_id, app_id, user_id, platform) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (node_id, device_id) DO NOTHING`,
  },
  /** (node, device): a device of this node left. */
  leave: {
    name: 'rw_presence_leave',
    text: `DELETE FROM presence_devices WHERE node_id = $1 AND device_id = $2`,
  },
  /** (node): forgets every device of this node (then `join` each, in the same transaction). */
  clear: {
    name: 'rw_presence_clear',
    text: `DELETE FROM presence_devices WHERE node_id = $1`,
  },
  /** (node, devices[], apps[], users[], platforms[]): records many devices of this node. */
  joinMany: {
    name: 'rw_presence_join_many',
    text: `INSERT INTO presence_devices (node_id, device_id, app_id, user_id, platform)
      SELECT $1, t.d, t.a, t.u, t.p FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[]) AS t(d, a, u, p)
      ON CONFLICT (node_id, device_id) DO NOTHING`,
  },
  /** (node): this node is gone (a clean stop). */
  forget: {
    name: 'rw_presence_forget',
    text: `WITH d AS (DELETE FROM presence_devices WHERE node_id = $1) DELETE FROM presence_nodes WHERE node_id = $1`,
  },
  /** (before): deletes the nodes (and their devices) whose heartbeat is older than `before`. */
  collect: {
    name: 'rw_presence_collect',
    text: `WITH n AS (DELETE FROM presence_nodes WHERE heartbeat_at < $1 RETURNING node_id)
      DELETE FROM presence_devices WHERE node_id IN (SELECT node_id FROM n)`,
  },
  /** (app, users[], fresh): the devices of those users on nodes whose heartbeat is at or after `fresh`. */
  devices: {
    name: 'rw_presence_devices',
    text: `SELECT d.user_id, d.platform FROM presence_devices d JOIN presence_nodes n ON n.node_id = d.node_id
      WHERE d.app_id = $1 AND d.user_id = ANY($2::text[]) AND n.heartbeat_at >= $3 ORDER BY d.node_id, d.device_id`,
  },
} satisfies Record<string, Sql>;
