/** Whether a store can take writes, as `/healthz` reports it. */
export type StoreHealth = { ok: true } | { ok: false; reason: string };
