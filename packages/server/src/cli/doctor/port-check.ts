import { createServer } from 'node:net';
import type { CheckResult, DoctorContext } from './doctor-check.ts';

const FIXES: Record<string, string> = {
  EADDRINUSE: 'stop what listens there (another readwire server?) or choose another port ("port" or --port)',
  EACCES: 'ports below 1024 need privileges: choose a port above 1024 and put a reverse proxy in front',
  EADDRNOTAVAIL: '"host" must be an address of this machine (or 0.0.0.0 for all)',
};

/** The listening address is free: binds it for a moment, as the server will. */
export function portCheck(ctx: DoctorContext): Promise<CheckResult[]> {
  const { host, port } = ctx.config;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (port === 0) return Promise.resolve([{ check: 'port', status: 'ok', message: `${host}: any free port (port 0)` }]);
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: Error & { code?: string }) => {
      const code = error.code ?? 'error';
      resolve([
        {
          check: 'port',
          status: 'fail',
          message: `cannot listen on ${where}: ${code}`,
          fix: FIXES[code] ?? error.message,
        },
      ]);
    });
    server.listen({ host, port, exclusive: true }, () => {
      server.close(() => resolve([{ check: 'port', status: 'ok', message: `${where} is free` }]));
    });
  });
}
