import { resolveTarget, type AdminTarget } from '../dispatch/cli/admin-client.ts';
import { UsageError } from './cli-command.ts';

/** How the admin commands (`deliveries`, `replay`, `backup`) find and sign in to a running server. */
export const ADMIN_OPTIONS = {
  config: {
    type: 'string',
    value: 'FILE',
    description: "The server's configuration file: gives the URL (host and port), the app and its secret key.",
  },
  url: {
    type: 'string',
    value: 'URL',
    description: 'Base URL of the server (default: from --config, else http://127.0.0.1:5080).',
  },
  sdkappid: { type: 'string', value: 'N', description: 'The app (default: the first app of --config).' },
  key: { type: 'string', value: 'KEY', description: 'The app secret key, when there is no --config.' },
  admin: { type: 'string', value: 'ID', description: 'The admin identifier to sign as (default: the app admin).' },
} as const;

/** Resolves where to call, turning missing or malformed connection options into a {@link UsageError}. */
export function adminTarget(o: {
  url?: string | undefined;
  config?: string | undefined;
  sdkappid?: string | undefined;
  key?: string | undefined;
  admin?: string | undefined;
}): AdminTarget {
  if (o.sdkappid !== undefined && !/^[1-9]\d*$/.test(o.sdkappid)) {
    throw new UsageError('--sdkappid must be a positive integer');
  }
  if (o.config === undefined && (o.sdkappid === undefined || o.key === undefined)) {
    throw new UsageError('give --config FILE, or --sdkappid N and --key KEY (the app secret key)');
  }
  return resolveTarget(o);
}
