// A Readwire server in a child process, started from the configuration file given as the first argument; prints
// `READY <url>` once it listens. The crash test kills it with SIGKILL.
import { loadConfigFile, startServer } from '../../../src/index.ts';

const server = await startServer(loadConfigFile(process.argv[2]!));
process.stdout.write(`READY ${server.url}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
