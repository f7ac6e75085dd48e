/**
 * Type-level tests: THIS CODE IS NOT EXECUTED. `test/type-check.test.ts` runs `tsc -p test/tsconfig.json`; every
 * `@ts-expect-error` below must be an error, and every other line must compile.
 * @module
 */
import {
  createCallbackReceiver,
  createRestClient,
  refuseMessage,
  replaceMessage,
  RestError,
  type CallbackErrorCode,
  type OptPlatform,
} from '../../src/index.ts';

const receiver = createCallbackReceiver({ sdkAppId: 1400000000, tokens: ['a', 'b'] });

// The example compiles; a wrong field does not.
receiver.on('C2C.CallbackAfterMsgReport', (e) => e.UnreadMsgNum);
// @ts-expect-error MsgKey is not a field of C2C.CallbackAfterMsgReport
receiver.on('C2C.CallbackAfterMsgReport', (e) => e.MsgKey);
// @ts-expect-error field names are Tencent's, case-sensitive
receiver.on('C2C.CallbackAfterMsgReport', (e) => e.report_account);

receiver.on('C2C.CallbackAfterMsgReport', async (e, ctx) => {
  const seconds: number = e.LastReadTime;
  const who: string = e.Report_Account + e.Peer_Account;
  const maybe: number | undefined = e.EventTime;
  const command: 'C2C.CallbackAfterMsgReport' = ctx.command;
  const platform: OptPlatform | undefined = ctx.optPlatform;
  const eventId: string | undefined = ctx.eventId;
  await Promise.resolve([seconds, who, maybe, command, platform, eventId]);
});

receiver.on('C2C.CallbackAfterSendMsg', (e) => {
  const unread: number = e.UnreadMsgNum;
  const text: string = e.MsgBody[0]?.MsgType ?? '';
  return [unread, text];
});
receiver.on('C2C.CallbackAfterMsgWithDraw', (e) => e.MsgKey);
receiver.on('C2C.CallbackAfterMsgReadReceipt', (e) => e.C2CMsgInfo.map((m) => m.MsgKey));
receiver.on('C2C.CallbackAfterMsgReadAll', (e) => e.GroupReadInfo?.map((g) => g.GroupId));
// @ts-expect-error UnreadMsgNum is not sent with C2C.CallbackAfterMsgReadAll
receiver.on('C2C.CallbackAfterMsgReadAll', (e) => e.UnreadMsgNum);

// Before-callbacks return a reply in Tencent's fields, or nothing.
receiver.on('C2C.CallbackBeforeSendMsg', (e) => (e.From_Account === 'x' ? refuseMessage('no', 120001) : undefined));
receiver.on('C2C.CallbackBeforeSendMsg', () => replaceMessage({ CloudCustomData: 'checked' }));
receiver.on('C2C.CallbackBeforeSendMsg', async () => Promise.resolve({ ErrorCode: 2 as const }));
// @ts-expect-error a before-callback cannot answer a string
receiver.on('C2C.CallbackBeforeSendMsg', () => 'refuse');
// @ts-expect-error a replacement MsgBody must be an array of elements
receiver.on('C2C.CallbackBeforeSendMsg', () => replaceMessage({ MsgBody: 'hi' }));

// Commands the SDK has no type for get the generic payload.
receiver.on('Group.CallbackAfterNewMemberJoin', (e) => {
  const group: unknown = e.GroupId;
  return group === undefined ? undefined : { ErrorCode: 0 };
});
// @ts-expect-error fields of unknown commands are `unknown`
receiver.on('Group.CallbackAfterNewMemberJoin', (e) => void (e.GroupId satisfies number));
// State.StateChange is typed.
receiver.on('State.StateChange', (e) => void (e.Info.Action satisfies string));

receiver.onAny((e, ctx) => void [e.CallbackCommand, ctx.command]);

// Error codes are a closed set.
const refused: CallbackErrorCode = 'SIGN_MISMATCH';
// @ts-expect-error REST codes are not receiver codes
const notRefused: CallbackErrorCode = 'REST_FAILED';

// The REST client is typed per command.
const im = createRestClient({ sdkAppId: 1400000000, secretKey: 'key' });
export async function restExamples(): Promise<unknown[]> {
  const unread = await im.getC2cUnreadMsgNum({ To_Account: 'jared', Peer_Account: ['Jonh'] });
  const total: number | undefined = unread.AllC2CUnreadMsgNum;
  const sent = await im.sendMsg({ To_Account: 'b', MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }] });
  const key: string = sent.MsgKey;
  // @ts-expect-error To_Account is required
  await im.sendMsg({ MsgBody: [] });
  // @ts-expect-error admin_set_msg_read needs Peer_Account
  await im.adminSetMsgRead({ Report_Account: 'jared' });
  const config = await im.call<{ Callback: { Url: string } }>('readwire_callback', 'get_config');
  try {
    await im.accountImport({ UserID: 'x' });
  } catch (error) {
    if (error instanceof RestError) return [error.ErrorCode, error.ErrorInfo, error.code];
  }
  return [total, key, config.Callback.Url, refused, notRefused];
}
