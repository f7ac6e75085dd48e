import { z } from 'zod';
import type { AccountInput } from '../../domain/types.ts';
import type { CommandDef } from '../command.ts';
import { parseBody } from '../parse-body.ts';

/** A UserID: 1–32 bytes. */
export const userIdSchema = z
  .string({ error: 'INVALID_PARAMETERS' })
  .min(1, { error: 'INVALID_PARAMETERS' })
  .refine((s) => Buffer.byteLength(s) <= 32, { error: 'INVALID_PARAMETERS' });

const profile = z.string({ error: 'INVALID_PARAMETERS' }).refine((s) => Buffer.byteLength(s) <= 500, {
  error: 'INVALID_PARAMETERS',
});

const accountSchema = z.object({ UserID: userIdSchema, Nick: profile.optional(), FaceUrl: profile.optional() });

/** `im_open_login_svc/account_import`: imports (or re-imports) one account. */
export const accountImport: CommandDef = {
  service: 'im_open_login_svc',
  command: 'account_import',
  jsonError: 'JSON_PARSE',
  async handle({ services, app, body }) {
    const a = parseBody(accountSchema, body, 'INVALID_PARAMETERS');
    await services.store.importAccounts(app.sdkAppId, [{ userId: a.UserID, nick: a.Nick, faceUrl: a.FaceUrl }]);
    return {};
  },
};

const multiSchema = z.union([
  z.object({ AccountList: z.array(accountSchema).min(1).max(100) }),
  z.object({ Accounts: z.array(z.unknown()).min(1).max(100) }),
]);

/**
 * `im_open_login_svc/multiaccount_import`: up to 100 accounts, as `{"Accounts":["id",…]}` (old form) or
 * `{"AccountList":[{"UserID","Nick","FaceUrl"}]}` (new form). Invalid UserIDs are returned in `FailAccounts`.
 */
export const multiAccountImport: CommandDef = {
  service: 'im_open_login_svc',
  command: 'multiaccount_import',
  jsonError: 'JSON_PARSE',
  async handle({ services, app, body }) {
    const b = parseBody(multiSchema, body, 'INVALID_PARAMETERS');
    const ok: AccountInput[] = [];
    const fail: string[] = [];
    if ('AccountList' in b) {
      for (const a of b.AccountList) ok.push({ userId: a.UserID, nick: a.Nick, faceUrl: a.FaceUrl });
    } else {
      for (const id of b.Accounts) {
        if (userIdSchema.safeParse(id).success) ok.push({ userId: id as string });
        else fail.push(typeof id === 'string' ? id : JSON.stringify(id));
      }
    }
    if (ok.length > 0) await services.store.importAccounts(app.sdkAppId, ok);
    return { FailAccounts: fail };
  },
};

const checkSchema = z.object({
  CheckItem: z
    .array(z.object({ UserID: z.string({ error: 'INVALID_PARAMETERS' }) }), { error: 'INVALID_PARAMETERS' })
    .min(1)
    .max(100),
});

/** `im_open_login_svc/account_check`: whether each of up to 100 UserIDs is imported. */
export const accountCheck: CommandDef = {
  service: 'im_open_login_svc',
  command: 'account_check',
  jsonError: 'JSON_PARSE',
  async handle({ services, app, body }) {
    const b = parseBody(checkSchema, body, 'INVALID_PARAMETERS');
    const ids = b.CheckItem.map((c) => c.UserID);
    const found = await services.store.existingAccounts(app.sdkAppId, ids);
    return {
      ResultItem: ids.map((UserID) => ({
        UserID,
        ResultCode: 0,
        ResultInfo: '',
        AccountStatus: found.has(UserID) ? 'Imported' : 'NotImported',
      })),
    };
  },
};

const deleteSchema = z.object({
  DeleteItem: z
    .array(z.object({ UserID: z.string({ error: 'INVALID_PARAMETERS' }) }), { error: 'INVALID_PARAMETERS' })
    .min(1, { error: 'INVALID_PARAMETERS' })
    .max(100, { error: 'INVALID_PARAMETERS' }),
});

/**
 * `im_open_login_svc/account_delete`: deletes up to 100 accounts. Each deleted account loses its unread counts and
 * read watermarks (its own conversations) and its gateway connections are closed; its messages stay in its peers'
 * history and counts, and callback events already written are still delivered. `ResultItem` has `ResultCode` 0, or
 * 70107 for an id that is not an account.
 */
export const accountDelete: CommandDef = {
  service: 'im_open_login_svc',
  command: 'account_delete',
  jsonError: 'JSON_PARSE',
  async handle({ services, app, body }) {
    const b = parseBody(deleteSchema, body, 'INVALID_PARAMETERS');
    const ids = b.DeleteItem.map((d) => d.UserID);
    const r = await services.store.deleteAccounts(app.sdkAppId, ids, { effects: { kind: 'account-delete' } });
    const missing = new Set(r.missing);
    return {
      ResultItem: ids.map((UserID) =>
        missing.has(UserID)
          ? { ResultCode: 70107, ResultInfo: 'account does not exist', UserID }
          : { ResultCode: 0, ResultInfo: '', UserID },
      ),
    };
  },
};
