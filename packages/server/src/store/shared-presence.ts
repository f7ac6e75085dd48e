/** A logged-in client-gateway device, as presence records it (the object itself identifies the device). */
export interface PresenceDevice {
  readonly appId: number;
  readonly userId: string;
  readonly platform?: string | undefined;
}

/**
 * Who is logged in to the client gateways of every node of a deployment: each node records its own devices as they
 * join and leave, and any node can ask about any user. Stores that many nodes share provide one
 * (`ServerStore.sharedPresence`); with one node, the gateway's own view is the whole truth.
 */
export interface SharedPresence {
  /** Records a device that logged in to this node (asynchronously; a failed write is repaired by the next heartbeat). */
  join(device: PresenceDevice): void;
  /** Forgets a device of this node (asynchronously, as `join`). */
  leave(device: PresenceDevice): void;
  /** Platforms of the devices logged in to any live node, per user id (users without one are left out). */
  devices(appId: number, userIds: string[]): Promise<Map<string, string[]>>;
  /** Announces this node and starts its heartbeat. */
  start(): Promise<void>;
  /** Stops the heartbeat and removes this node's devices. */
  stop(): Promise<void>;
}
