// Child process: the real Readwire server, configured by the READWIRE_BENCH_CONFIG environment variable (JSON). It
// runs the built package (dist, what `npm start` runs; `npm run bench` builds first), not the TypeScript sources
// through tsx, whose transform adds work per call that the shipped server does not do.
// Prints `READY <url>` once it listens; SIGTERM closes it cleanly (so `--cpu-prof` profiles get written).
import { parseConfig, startServer } from '@readwire/server';
import { exitWithParent } from './child.ts';

const server = await startServer(parseConfig(JSON.parse(process.env.READWIRE_BENCH_CONFIG ?? '{}'), 'bench config'));
process.stdout.write(`READY ${server.url}\n`);
const stop = () => {
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
exitWithParent(stop);
