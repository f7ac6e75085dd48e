import { callAdmin, parseTime } from '../dispatch/cli/admin-client.ts';
import { ADMIN_OPTIONS, adminTarget } from './admin-options.ts';
import { defineCommand, UsageError } from './cli-command.ts';

/** `readwire replay`: replays one event or all dead events on a running server. */
export const replayCommand = defineCommand({
  name: 'replay',
  summary: 'Send one callback event again, or every dead one, with a fresh retry schedule.',
  usage: '(--config FILE | --sdkappid N --key KEY) [--url URL] (--event ID | --dead [filters])',
  description:
    'Sends a callback event again (delivered or dead), or every dead event, optionally narrowed by command, ' +
    'account and time. Replayed events keep their event id and their order per account.',
  options: {
    ...ADMIN_OPTIONS,
    event: { type: 'string', value: 'ID', description: 'The event to send again.' },
    dead: { type: 'boolean', description: 'Send every dead event again (narrowed by the options below).' },
    command: { type: 'string', value: 'CMD', description: 'With --dead: only this callback command.' },
    account: { type: 'string', value: 'ID', description: 'With --dead: only events of this account.' },
    since: {
      type: 'string',
      value: 'TIME',
      description: 'With --dead: only events created since (10m, 2h, 7d, ISO date, Unix ms).',
    },
    until: { type: 'string', value: 'TIME', description: 'With --dead: only events created until.' },
  },
  examples: [
    'readwire replay --config readwire.json --event 6f1c2a4e-8a53-4d0e-9a57-0b6a3c2f51d0',
    'readwire replay --config readwire.json --dead --since 24h',
    'readwire replay --config readwire.json --dead --command C2C.CallbackAfterMsgReport --account alice',
  ],
  async action(o) {
    if ((o.event === undefined) === !o.dead) throw new UsageError('give either --event ID or --dead');
    const target = adminTarget(o);
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
  },
});
