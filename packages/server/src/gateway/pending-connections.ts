/**
 * Counts, per client address, the connections that have not logged in yet (from the upgrade request until the login
 * succeeds or the connection closes), so that one address cannot hold more than `max` of them open.
 */
export class PendingConnections {
  private readonly counts = new Map<string, number>();
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  /** Takes a slot for `address`; false (nothing taken) when it already has `max`. */
  acquire(address: string): boolean {
    const n = this.counts.get(address) ?? 0;
    if (n >= this.max) return false;
    this.counts.set(address, n + 1);
    return true;
  }

  /** Gives back a slot taken by `acquire`. */
  release(address: string): void {
    const n = this.counts.get(address) ?? 0;
    if (n <= 1) this.counts.delete(address);
    else this.counts.set(address, n - 1);
  }

  /** Pending connections from `address`. */
  count(address: string): number {
    return this.counts.get(address) ?? 0;
  }
}
