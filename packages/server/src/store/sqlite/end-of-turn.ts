let barrier: Promise<void> | undefined;

/**
 * Resolves in the check phase of the event loop (after the poll phase has read what arrived), one promise shared by
 * every caller of the same turn. The store runs request-driven reads behind it, so the reads that requests of one turn
 * ask for run together and their answers are written back to back, as group commit already does for writes.
 *
 * Why: on loopback, a socket write runs the receiving side's TCP work and wakes the receiving process; on a VM,
 * waking a process that sleeps on another core is expensive. Measured on the 2-core bench VM with
 * `npm run bench -- rest`: a `writev` cost about 22 µs per answer when reads were answered one by one as their
 * requests arrived, about 10 µs when answers went out in bursts; with the reads run here, `get_c2c_unread_msg_num`
 * went from 75–95 to 52–68 µs of server CPU per request (10.2k–13.1k → 13.6k–17.9k requests/s, three interleaved
 * pairs of runs). The wait adds no timer: it ends in this turn's check phase (the next turn's, when called from that
 * phase).
 */
export function endOfTurn(): Promise<void> {
  return (barrier ??= new Promise((resolve) =>
    setImmediate(() => {
      barrier = undefined;
      resolve();
    }),
  ));
}
