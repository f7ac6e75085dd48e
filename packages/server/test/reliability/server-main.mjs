// A Readwire server in a child process, from the configuration file given as the first argument. It runs the built
// package (dist, what `npm start` runs; `npm test` and `npm run reliability` build first), which starts in a fraction
// of the time the TypeScript sources take through tsx. Prints `READY <url>` once it listens; SIGTERM stops it cleanly.
import { loadConfigFile, startServer } from '@readwire/server';

const server = await startServer(loadConfigFile(process.argv[2]));
process.stdout.write(`READY ${server.url}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
