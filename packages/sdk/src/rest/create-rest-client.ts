import { restCall, withMsgRandom, type RestCallOptions } from './rest-call.ts';
import { resolveRestOptions, type RestClientOptions } from './rest-client-options.ts';
import type * as A from './callback-admin-types.ts';
import type * as T from './rest-types.ts';

/** A typed client of the Tencent Cloud IM REST API, served by Tencent or by Readwire. */
export interface RestClient {
  /** `im_open_login_svc/account_import`: imports one account. */
  accountImport(body: T.AccountImportRequest, options?: RestCallOptions): Promise<T.RestResponse>;
  /** `im_open_login_svc/multiaccount_import`: imports up to 100 accounts. */
  multiaccountImport(
    body: T.MultiaccountImportRequest,
    options?: RestCallOptions,
  ): Promise<T.RestResponse<T.MultiaccountImportResult>>;
  /** `im_open_login_svc/account_check`: which of up to 100 accounts are imported. */
  accountCheck(body: T.AccountCheckRequest, options?: RestCallOptions): Promise<T.RestResponse<T.AccountCheckResult>>;
  /** `openim/sendmsg`: sends one C2C message (fires the send callbacks). */
  sendMsg(body: T.SendMsgRequest, options?: RestCallOptions): Promise<T.RestResponse<T.SendMsgResult>>;
  /** `openim/batchsendmsg`: one message to up to 500 users (no callbacks). */
  batchSendMsg(body: T.BatchSendMsgRequest, options?: RestCallOptions): Promise<T.RestResponse<T.BatchSendMsgResult>>;
  /** `openim/admin_set_msg_read`: marks a conversation read (fires `C2C.CallbackAfterMsgReport`). */
  adminSetMsgRead(body: T.AdminSetMsgReadRequest, options?: RestCallOptions): Promise<T.RestResponse>;
  /** `openim/get_c2c_unread_msg_num`: unread counts of a user. */
  getC2cUnreadMsgNum(
    body: T.GetC2cUnreadMsgNumRequest,
    options?: RestCallOptions,
  ): Promise<T.RestResponse<T.GetC2cUnreadMsgNumResult>>;
  /** `openim/admin_getroammsg`: a page of a conversation's history. */
  adminGetRoamMsg(
    body: T.AdminGetRoamMsgRequest,
    options?: RestCallOptions,
  ): Promise<T.RestResponse<T.AdminGetRoamMsgResult>>;
  /** `openim/admin_msgwithdraw`: recalls a message (fires `C2C.CallbackAfterMsgWithDraw`). */
  adminMsgWithdraw(body: T.AdminMsgWithdrawRequest, options?: RestCallOptions): Promise<T.RestResponse>;
  /** `openim/c2c_msg_read_receipt`: per-message read receipts (fires `C2C.CallbackAfterMsgReadReceipt`). */
  c2cMsgReadReceipt(body: T.C2cMsgReadReceiptRequest, options?: RestCallOptions): Promise<T.RestResponse>;
  /** `openim/importmsg`: imports one message from an old system, keeping its time (no callbacks). */
  importMsg(body: T.ImportMsgRequest, options?: RestCallOptions): Promise<T.RestResponse>;
  /** `openim/modify_c2c_msg`: edits a stored message (fires `C2C.CallbackAfterModifyMsg`). */
  modifyC2cMsg(body: T.ModifyC2cMsgRequest, options?: RestCallOptions): Promise<T.RestResponse>;
  /** `im_open_login_svc/account_delete`: deletes up to 100 accounts. */
  accountDelete(
    body: { DeleteItem: { UserID: string }[] },
    options?: RestCallOptions,
  ): Promise<T.RestResponse<{ ResultItem: { ResultCode: number; ResultInfo: string; UserID: string }[] }>>;
  /** `im_open_login_svc/kick`: closes the user's connections and voids the UserSigs issued before it. */
  kick(body: { UserID: string }, options?: RestCallOptions): Promise<T.RestResponse>;
  /** `openim/query_online_status`: online state of up to 500 users (`IsNeedDetail: 1` for per-platform detail). */
  queryOnlineStatus(
    body: T.QueryOnlineStatusRequest,
    options?: RestCallOptions,
  ): Promise<T.RestResponse<T.QueryOnlineStatusResult>>;
  /** `recentcontact/get_list`: one page of a user's conversations (pass `TimeStamp`/`StartIndex` back for more). */
  getRecentContactList(
    body: T.RecentContactListRequest,
    options?: RestCallOptions,
  ): Promise<T.RestResponse<T.RecentContactListResult>>;
  /** `recentcontact/delete`: takes a conversation off a user's list (`ClearRamble: 1` also clears its roaming). */
  deleteRecentContact(body: T.DeleteRecentContactRequest, options?: RestCallOptions): Promise<T.RestResponse>;
  /** Readwire `readwire_callback/get_config`: the app's callback configuration. */
  getCallbackConfig(
    body?: { ShowSecrets?: boolean },
    options?: RestCallOptions,
  ): Promise<T.RestResponse<A.GetCallbackConfigResult>>;
  /** Readwire `readwire_callback/set_config`: replaces the callback configuration (`null` turns callbacks off). */
  setCallbackConfig(body: { Callback: A.CallbackConfig | null }, options?: RestCallOptions): Promise<T.RestResponse>;
  /** Readwire `readwire_callback/list_events`: callback events, newest first. */
  listCallbackEvents(
    body?: A.CallbackListFilter & { State?: A.CallbackEventView['State'] },
    options?: RestCallOptions,
  ): Promise<T.RestResponse<A.CallbackPage & { Events: A.CallbackEventView[] }>>;
  /** Readwire `readwire_callback/list_attempts`: delivery attempts, newest first. */
  listCallbackAttempts(
    body?: A.CallbackListFilter & { EventId?: string; Outcome?: A.CallbackAttemptView['Outcome'] },
    options?: RestCallOptions,
  ): Promise<T.RestResponse<A.CallbackPage & { Attempts: A.CallbackAttemptView[] }>>;
  /** Readwire `readwire_callback/replay`: sends one event, or every dead one, again (same event ids). */
  replayCallbacks(
    body: A.ReplayCallbacksRequest,
    options?: RestCallOptions,
  ): Promise<T.RestResponse<A.ReplayCallbacksResult>>;
  /** Any command, e.g. `call('openim', 'some_command', {…})`. */
  call<R = Record<string, unknown>>(
    service: string,
    command: string,
    body?: object,
    options?: RestCallOptions,
  ): Promise<T.RestResponse<R>>;
}

/**
 * Creates a REST client. Every call POSTs JSON to `{baseUrl}/v4/{service}/{command}?sdkappid=…&identifier=…
 * &usersig=…&random=…&contenttype=json`, and throws a `RestError` when the answer is `ActionStatus: "FAIL"`.
 *
 * @example
 * ```ts
 * const im = createRestClient({ sdkAppId: 1400000000, secretKey: process.env.IM_SECRET_KEY });
 * await im.adminSetMsgRead({ Report_Account: 'jared', Peer_Account: 'Jonh' });
 * const { AllC2CUnreadMsgNum } = await im.getC2cUnreadMsgNum({ To_Account: 'jared' });
 * ```
 */
export function createRestClient(options: RestClientOptions): RestClient {
  const resolved = resolveRestOptions(options);
  const call = <R>(service: string, command: string, body: object = {}, o?: RestCallOptions) =>
    restCall<R>(resolved, service, command, body, o);
  return {
    accountImport: (body, o) => call('im_open_login_svc', 'account_import', body, o),
    multiaccountImport: (body, o) => call('im_open_login_svc', 'multiaccount_import', body, o),
    accountCheck: (body, o) => call('im_open_login_svc', 'account_check', body, o),
    sendMsg: (body, o) => call('openim', 'sendmsg', withMsgRandom(body), o),
    batchSendMsg: (body, o) => call('openim', 'batchsendmsg', withMsgRandom(body), o),
    adminSetMsgRead: (body, o) => call('openim', 'admin_set_msg_read', body, o),
    getC2cUnreadMsgNum: (body, o) => call('openim', 'get_c2c_unread_msg_num', body, o),
    adminGetRoamMsg: (body, o) => call('openim', 'admin_getroammsg', body, o),
    adminMsgWithdraw: (body, o) => call('openim', 'admin_msgwithdraw', body, o),
    c2cMsgReadReceipt: (body, o) => call('openim', 'c2c_msg_read_receipt', body, o),
    importMsg: (body, o) => call('openim', 'importmsg', body, o),
    modifyC2cMsg: (body, o) => call('openim', 'modify_c2c_msg', body, o),
    accountDelete: (body, o) => call('im_open_login_svc', 'account_delete', body, o),
    kick: (body, o) => call('im_open_login_svc', 'kick', body, o),
    queryOnlineStatus: (body, o) => call('openim', 'query_online_status', body, o),
    getRecentContactList: (body, o) => call('recentcontact', 'get_list', body, o),
    deleteRecentContact: (body, o) => call('recentcontact', 'delete', body, o),
    getCallbackConfig: (body = {}, o) => call('readwire_callback', 'get_config', body, o),
    setCallbackConfig: (body, o) => call('readwire_callback', 'set_config', body, o),
    listCallbackEvents: (body = {}, o) => call('readwire_callback', 'list_events', body, o),
    listCallbackAttempts: (body = {}, o) => call('readwire_callback', 'list_attempts', body, o),
    replayCallbacks: (body, o) => call('readwire_callback', 'replay', body, o),
    call,
  };
}
