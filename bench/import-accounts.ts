/**
 * Imports `ids` into a running server with `multiaccount_import`, 100 per call. `query` is the admin's REST query
 * string (sdkappid, identifier, usersig, random, contenttype).
 */
export async function importAccounts(url: string, query: string, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    const res = await fetch(`${url}/v4/im_open_login_svc/multiaccount_import?${query}`, {
      method: 'POST',
      body: JSON.stringify({ Accounts: ids.slice(i, i + 100) }),
    });
    const r = (await res.json()) as { ErrorCode: number };
    if (r.ErrorCode !== 0) throw new Error(`account import failed: ${JSON.stringify(r)}`);
  }
}
