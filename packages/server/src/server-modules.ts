import { backupModule } from './backup/backup-module.ts';
import { gatewayModule } from './gateway/gateway-module.ts';
import { dispatchModule } from './dispatch/dispatch-module.ts';
import { consoleModule } from './console/console-module.ts';
import type { ServerModule } from './server-module.ts';

/** The modules every server runs, in start order. */
export function serverModules(): ServerModule[] {
  return [dispatchModule(), gatewayModule(), consoleModule(), backupModule()];
}
