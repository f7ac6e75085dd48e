// Child process: the real Readwire server, configured by the READWIRE_BENCH_CONFIG environment variable (JSON).
// Prints `READY <url>` once it listens; SIGTERM closes it cleanly (so `--cpu-prof` profiles get written).
import { parseConfig, startServer } from '../../packages/server/src/index.ts';
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
