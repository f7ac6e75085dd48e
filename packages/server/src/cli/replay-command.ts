import { parseArgs } from 'node:util';
import { ADMIN_FLAGS, callAdmin, parseTime, resolveTarget } from '../dispatch/cli/admin-client.ts';

/** Usage of `readwire replay`. */
export const REPLAY_USAGE = `usage: readwire replay [--url URL] (--config FILE [--sdkappid N] | --sdkappid N --key K) [--admin ID]
         (--event EVENT_ID | --dead [--command C] [--account A] [--since 1h] [--until TIME])
  Sends one callback event again, or every dead one (optionally narrowed), with a fresh retry schedule.
`;

/** `readwire replay`: replays one event or all dead events on a running server. */
export async function replayCommand(args: string[]): Promise<void> {
  const { values: o } = parseArgs({
    args,
    options: {
      ...ADMIN_FLAGS,
      event: { type: 'string' },
      dead: { type: 'boolean', default: false },
      command: { type: 'string' },
      account: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (o.help || (o.event === undefined) === !o.dead) {
    process.stdout.write(REPLAY_USAGE);
    if (!o.help) process.exitCode = 2;
    return;
  }
  const target = resolveTarget(o);
  if (o.event !== undefined) {
    const r = await callAdmin(target, 'replay', { EventId: o.event });
    const was = typeof r.PreviousState === 'string' ? ` (was ${r.PreviousState})` : '';
    process.stdout.write(
      r.Replayed === 1
        ? `replayed ${o.event}${was}\n`
        : `${o.event} is in flight or waiting behind an earlier event; it will be sent anyway${was}\n`,
    );
    return;
  }
  const r = await callAdmin(target, 'replay', {
    AllDead: true,
    Command: o.command,
    Account: o.account,
    MinTimeMs: parseTime(o.since),
    MaxTimeMs: parseTime(o.until),
  });
  process.stdout.write(`replayed ${String(r.Replayed)} dead event(s)\n`);
}
