let barrier: Promise<void> | undefined;

/**
 * Resolves in the check phase of the event loop, one promise shared by every caller of the same turn: REST answers
 * await it so the answers that became ready in one turn are written back to back, instead of one at a time as each
 * command finishes.
 *
 * Why: on loopback, a socket write runs the receiving side's TCP work and wakes the receiving process; on a VM,
 * waking a process that sleeps on another core is expensive. Measured on the 2-core bench VM with
 * `npm run bench -- rest`: a `writev` cost about 22 µs per answer when reads were answered one by one, about 10 µs
 * when answers went out in bursts (as group commit already releases writes), and `get_c2c_unread_msg_num` went from
 * 77–84 to 59–65 µs of server CPU per request. The wait adds no timer: it ends in this turn's check phase (the
 * next turn's, when called from that phase).
 */
export function endOfTurn(): Promise<void> {
  return (barrier ??= new Promise((resolve) =>
    setImmediate(() => {
      barrier = undefined;
      resolve();
    }),
  ));
}
