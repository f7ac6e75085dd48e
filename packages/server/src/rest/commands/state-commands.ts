import { z } from 'zod';
import type { CommandDef } from '../command.ts';
import { parseBody } from '../parse-body.ts';
import { userIdSchema } from './account-commands.ts';

/** Most accounts one online-status query may ask about, as Tencent. */
export const MAX_STATE_ACCOUNTS = 500;

/** The `Detail[].Platform` names of Tencent's examples for the client platforms that differ from `OptPlatform`. */
const DETAIL_PLATFORM: Readonly<Record<string, string>> = { iOS: 'iPhone', Windows: 'PC' };

const stateSchema = z.object({
  To_Account: z
    .array(z.string({ error: 'INVALID_PARAMETERS' }), { error: 'INVALID_PARAMETERS' })
    .min(1, { error: 'INVALID_PARAMETERS' })
    .max(MAX_STATE_ACCOUNTS, { error: 'INVALID_PARAMETERS' }),
  IsNeedDetail: z.union([z.literal(0), z.literal(1)], { error: 'INVALID_PARAMETERS' }).optional(),
});

/** Builds the answer of both names of the command; `field` is `Status` (current) or `State` (older `querystate`). */
function onlineStatus(field: 'Status' | 'State'): CommandDef['handle'] {
  return async ({ services, app, body }) => {
    const b = parseBody(stateSchema, body, 'INVALID_PARAMETERS');
    const ids = [...new Set(b.To_Account)];
    const valid = ids.filter((id) => userIdSchema.safeParse(id).success);
    const known = await services.store.existingAccounts(app.sdkAppId, valid);
    const online = (await services.presence?.devices(app.sdkAppId, [...known])) ?? new Map<string, string[]>();
    const QueryResult: Record<string, unknown>[] = [];
    const ErrorList: { To_Account: string; ErrorCode: number }[] = [];
    for (const id of ids) {
      if (!known.has(id)) {
        ErrorList.push({ To_Account: id, ErrorCode: 70107 });
        continue;
      }
      const devices = online.get(id) ?? [];
      const item: Record<string, unknown> = { To_Account: id, [field]: devices.length > 0 ? 'Online' : 'Offline' };
      if (b.IsNeedDetail === 1) {
        item.Detail = devices.map((p) => ({ Platform: DETAIL_PLATFORM[p] ?? p, [field]: 'Online' }));
      }
      QueryResult.push(item);
    }
    return ErrorList.length > 0 ? { QueryResult, ErrorList } : { QueryResult };
  };
}

/**
 * `openim/query_online_status`: `Online` while the user has a device logged in to the client gateway (of any node of
 * the deployment), else
 * `Offline` (Readwire has no push channel, so never `PushOnline`); with `IsNeedDetail: 1`, one `Detail` item per
 * device. At most 500 accounts; accounts that are not imported are in `ErrorList` with 70107.
 */
export const queryOnlineStatus: CommandDef = {
  service: 'openim',
  command: 'query_online_status',
  jsonError: 'OPENIM_JSON_PARSE',
  handle: onlineStatus('Status'),
};

/** `openim/querystate`: the older name of `query_online_status`, answering `State` where the newer one has `Status`. */
export const queryState: CommandDef = {
  service: 'openim',
  command: 'querystate',
  jsonError: 'OPENIM_JSON_PARSE',
  handle: onlineStatus('State'),
};

const kickSchema = z.object({ UserID: userIdSchema });

/**
 * `im_open_login_svc/kick`: closes every gateway connection of the user (on every server sharing the store) and makes
 * the UserSigs issued up to now stop logging in (70001) until the user gets one issued after the kick. 70107 for an
 * account that is not imported.
 */
export const kick: CommandDef = {
  service: 'im_open_login_svc',
  command: 'kick',
  jsonError: 'JSON_PARSE',
  async handle({ services, app, body }) {
    const b = parseBody(kickSchema, body, 'INVALID_PARAMETERS');
    await services.store.kickAccount(app.sdkAppId, b.UserID, { effects: { kind: 'kick' } });
    return {};
  },
};
