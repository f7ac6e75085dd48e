import { UsageError, wantsHelp, type CliCommand } from './cli-command.ts';
import { backupCommand } from './backup-command.ts';
import { consoleLinkCommand } from './console-link-command.ts';
import { deliveriesCommand } from './deliveries-command.ts';
import { migrateDataCommand } from './migrate-data-command.ts';
import { doctorCommand } from './doctor-command.ts';
import { commandHelp, mainHelp } from './help-text.ts';
import { packageVersion } from './package-version.ts';
import { replayCommand } from './replay-command.ts';
import { serveCommand } from './serve-command.ts';
import { usersigCommand } from './usersig-command.ts';

/** Every `readwire` command, in the order `readwire --help` lists them. */
export const commands: CliCommand[] = [
  serveCommand,
  doctorCommand,
  usersigCommand,
  consoleLinkCommand,
  deliveriesCommand,
  replayCommand,
  backupCommand,
  migrateDataCommand,
];

/** Runs the command line; resolves with the exit code. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(mainHelp(commands, packageVersion()));
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (name === 'help') {
    const topic = commands.find((c) => c.name === rest[0]);
    process.stdout.write(topic ? commandHelp(topic) : mainHelp(commands, packageVersion()));
    return topic || rest[0] === undefined ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`readwire: unknown command '${name}'\nRun 'readwire --help' for the list of commands.\n`);
    return 2;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return (await command.run(rest)) ?? 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`readwire ${name}: ${error.message}\nRun 'readwire ${name} --help' for its options.\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`readwire: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
