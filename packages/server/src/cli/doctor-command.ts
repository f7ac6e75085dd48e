import { defineCommand, UsageError } from './cli-command.ts';
import { parsePort } from './serve-command.ts';

/** `readwire doctor`: checks a configuration and the environment it will run in, and says what to fix. */
export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'Check a configuration and the environment, and say what to fix.',
  usage: '[--config FILE | --data DIR] [--port N] [--host HOST] [--skip-probe] [--json]',
  description:
    'Checks what `readwire serve` with the same options would need: the configuration file is valid; the ' +
    'database can be opened and written (SQLite: its folder is writable, no running server holds it, its schema ' +
    'is not newer than this readwire); the listening port is free; each callback URL passes the rule against ' +
    'private addresses and answers a signed test request (command Readwire.Probe, which no receiver acts on) ' +
    "with HTTP 200; and the clock is sane and close to the callback endpoints' clocks. Prints each finding and " +
    'what to fix; exits 1 when a check fails, 0 otherwise (warnings included).',
  options: {
    config: { type: 'string', value: 'FILE', description: 'The configuration file to check.' },
    data: {
      type: 'string',
      value: 'DIR',
      description: 'Without --config: the data folder of the defaults (default ./data).',
    },
    port: { type: 'string', value: 'N', description: 'Check this port instead of the configured one.' },
    host: { type: 'string', value: 'HOST', description: 'Check this address instead of the configured one.' },
    'skip-probe': { type: 'boolean', description: 'Do not send the test request to callback URLs.' },
    json: { type: 'boolean', description: 'Print the findings as JSON.' },
  },
  examples: [
    'readwire doctor                                # the npm start defaults in ./data',
    'readwire doctor --config readwire.json',
    'readwire doctor --config readwire.json --port 8080 --json',
  ],
  async action(o) {
    if (o.config !== undefined && o.data !== undefined) throw new UsageError('--data applies only without --config');
    const port = o.port === undefined ? undefined : parsePort(o.port);
    // Loaded here: the checks need the database driver and the HTTP client, which `--help` does not.
    const { runDoctor } = await import('./doctor/run-doctor.ts');
    return runDoctor({ ...o, port, skipProbe: o['skip-probe'] });
  },
});
