import { parseArgs } from 'node:util';
import { deliveriesCommand } from './deliveries-command.ts';
import { migrateDataCommand } from './migrate-data-command.ts';
import { replayCommand } from './replay-command.ts';
import { serveCommand } from './serve-command.ts';
import { usersigCommand } from './usersig-command.ts';

const USAGE = `readwire — Tencent-Cloud-IM-compatible C2C messaging backend

usage:
  readwire serve [--config FILE] [--data DIR] [--port N] [--host H] [--new-database]
  readwire usersig --sdkappid N --key K --user U [--expire SECONDS]
  readwire deliveries [--url URL] (--config FILE | --sdkappid N --key K) [--state S] [--event ID] [--help]
  readwire replay [--url URL] (--config FILE | --sdkappid N --key K) (--event ID | --dead) [--help]
  readwire migrate-data --from sqlite:PATH --to postgres:URL [--schema NAME]
`;

/** Extra subcommands registered by modules (e.g. `deliveries`, `replay`). */
export const extraCommands = new Map<string, (args: string[]) => Promise<void>>([
  ['deliveries', deliveriesCommand],
  ['replay', replayCommand],
  ['migrate-data', migrateDataCommand],
]);

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({
        args: rest,
        options: {
          config: { type: 'string' },
          data: { type: 'string' },
          port: { type: 'string' },
          host: { type: 'string' },
          'new-database': { type: 'boolean' },
        },
      });
      return serveCommand(values);
    }
    case 'usersig': {
      const { values } = parseArgs({
        args: rest,
        options: {
          sdkappid: { type: 'string' },
          key: { type: 'string' },
          user: { type: 'string' },
          expire: { type: 'string' },
        },
      });
      return usersigCommand(values);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default: {
      const extra = extraCommands.get(command);
      if (extra) return extra(rest);
      process.stderr.write(`unknown command: ${command}\n${USAGE}`);
      process.exitCode = 2;
    }
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`readwire: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
