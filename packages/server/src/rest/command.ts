import type { AppRuntime } from '../core/app-registry.ts';
import type { Services } from '../core/services.ts';
import type { Origin } from '../domain/types.ts';
import type { ErrorName } from '../errors/error-catalog.ts';

/** What a REST command handler receives: the authenticated app and caller, and the parsed JSON body. */
export interface CommandContext {
  services: Services;
  app: AppRuntime;
  /** The authenticated `identifier` (always the app admin). */
  identifier: string;
  /** The caller's address and `OptPlatform: RESTAPI`. */
  origin: Origin;
  body: unknown;
}

/**
 * One REST command, `POST /v4/{service}/{command}`. The handler validates `body`, does the work through the core,
 * and returns the response fields besides `ActionStatus`/`ErrorCode`/`ErrorInfo`; it throws `ImError` to fail.
 */
export interface CommandDef {
  service: string;
  command: string;
  /** Error answered when the body is not JSON (`OPENIM_JSON_PARSE` 90001 for openim, else `JSON_PARSE` 60003). */
  jsonError: ErrorName;
  handle(ctx: CommandContext): Promise<Record<string, unknown>>;
}
