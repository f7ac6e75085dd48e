/**
 * The REST commands the console uses, through a real server and a real receiver: get_event (masked request,
 * attempts with the response excerpt), replay's DryRun count, endpoint_stats, test_callback, get_config's masking
 * and URL verdict, secret rotation and token replacement, user_overview; hostile text comes back as JSON text; every
 * console command refuses a non-admin and missing credentials.
 */
import assert from 'node:assert/strict';
import { genUserSig } from '@readwire/sdk';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { APP_A, KEY_A, report, startDispatchServer, type DispatchServer } from '../dispatch/helpers/dispatch-server.ts';
import { ok, startReceiver, type Receiver } from '../dispatch/helpers/receiver.ts';
import { waitFor } from '../dispatch/helpers/wait-for.ts';

const XSS = '<img src=x onerror=alert(1)>';
const TOKEN = 'token-secret-abcd';
const SIGNING = 'signing-secret-wxyz';

/** The console's commands, each with a body it accepts. */
const CONSOLE_COMMANDS: [string, unknown][] = [
  ['readwire_callback/get_event', { EventId: 'x' }],
  ['readwire_callback/endpoint_stats', {}],
  ['readwire_callback/test_callback', {}],
  ['readwire_callback/get_config', {}],
  ['readwire_callback/set_config', { RotateSigningSecret: 1 }],
  ['readwire_callback/replay', { AllDead: true, DryRun: 1 }],
  ['readwire_callback/list_events', {}],
  ['readwire_console/user_overview', { Account: 'alice' }],
];

const xssAnswer = (_r: unknown, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(XSS);
};

describe('console REST commands', () => {
  let receiver: Receiver;
  let s: DispatchServer;
  /** POSTs with the UserSig in the Authorization header, as the console does. */
  const asConsole = async (path: string, body: unknown, identifier = 'administrator', sig?: string | null) => {
    const usersig =
      sig === undefined ? await genUserSig({ sdkAppId: APP_A, secretKey: KEY_A, userId: identifier }) : sig;
    const res = await fetch(
      `${s.server.url}/v4/${path}?sdkappid=${APP_A}&identifier=${identifier}&random=9&contenttype=json`,
      {
        method: 'POST',
        headers: usersig === null ? {} : { authorization: `UserSig ${usersig}` },
        body: JSON.stringify(body),
      },
    );
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    return { json: (await res.json()) as Record<string, any>, text: '' };
  };
  const call = async (path: string, body: unknown) => {
    const r = await asConsole(path, body);
    assert.equal(r.json.ErrorCode, 0, `${path}: ${JSON.stringify(r.json)}`);
    return r.json;
  };

  before(async () => {
    receiver = await startReceiver(xssAnswer);
    s = await startDispatchServer({
      callbackA: { url: `${receiver.url}/cb?token=in-url-secret`, token: TOKEN, signingSecret: SIGNING, retry: 'none' },
    });
    await s.accounts(['alice', 'bob', XSS]);
  });
  after(async () => {
    await s.close();
    await receiver.close();
  });

  it('every console command refuses a user who is not the admin, and missing credentials', async () => {
    for (const [path, body] of CONSOLE_COMMANDS) {
      const user = await asConsole(path, body, 'alice');
      assert.equal(user.json.ErrorCode, 60010, `${path} as alice`);
      const none = await asConsole(path, body, 'administrator', null);
      assert.equal(none.json.ErrorCode, 60025, `${path} without usersig`);
    }
  });

  it('get_event: the event, its request with secrets masked, and attempts with the response excerpt as text', async () => {
    await call('openim/sendmsg', {
      From_Account: 'bob',
      To_Account: 'alice',
      MsgRandom: 1,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }],
    });
    assert.equal((await report(s, 'alice', 'bob')).ErrorCode, 0);
    await waitFor(
      async () => (await call('readwire_callback/list_events', { State: 'dead' })).Events.length === 1,
      'dead',
    );
    const [event] = (await call('readwire_callback/list_events', { State: 'dead' })).Events;
    const r = await call('readwire_callback/get_event', { EventId: event.EventId });
    assert.equal(r.Event.EventId, event.EventId);
    assert.equal(r.Event.State, 'dead');
    assert.equal(r.Event.Body.Report_Account, 'alice');
    assert.equal(r.Request.Method, 'POST');
    assert.match(r.Request.Url, /CallbackCommand=C2C\.CallbackAfterMsgReport/);
    assert.match(r.Request.Url, /[?&]token=••••/);
    assert.match(r.Request.Url, /&Sign=••••/);
    assert.equal(r.Request.Headers['webhook-signature'], '••••');
    assert.equal(r.Request.Headers['X-Readwire-Event-Id'], event.EventId);
    const raw = JSON.stringify(r);
    assert.ok(!raw.includes(TOKEN) && !raw.includes(SIGNING) && !raw.includes('in-url-secret'), 'no secret');
    assert.equal(r.AttemptList.length, 1);
    const a = r.AttemptList[0];
    assert.equal(a.Outcome, 'dead');
    assert.equal(a.Status, 200);
    assert.equal(a.ResponseExcerpt, XSS);
    assert.match(a.Error, /not a JSON object/);
    const unknown = await asConsole('readwire_callback/get_event', { EventId: 'no-such-event' });
    assert.equal(unknown.json.ErrorCode, 96003);
  });

  it('replay with DryRun counts the dead events of a filter without replaying them', async () => {
    const dry = await call('readwire_callback/replay', { AllDead: true, DryRun: 1 });
    assert.equal(dry.Count, 1);
    assert.equal(dry.Replayed, 0);
    assert.equal((await call('readwire_callback/replay', { AllDead: true, DryRun: 1, Account: 'bob' })).Count, 0);
    assert.equal((await call('readwire_callback/list_events', { State: 'dead' })).Events.length, 1, 'still dead');
    const both = await asConsole('readwire_callback/replay', { EventId: 'x', DryRun: 1 });
    assert.equal(both.json.ErrorCode, 70402);
  });

  it('endpoint_stats: the window of attempts, breaker, in flight and the oldest pending age', async () => {
    const r = await call('readwire_callback/endpoint_stats', {});
    const [ep] = r.Endpoints;
    assert.equal(ep.Origin, receiver.url);
    assert.match(ep.Url, /token=••••/);
    assert.equal(ep.Current, 1);
    assert.equal(ep.Breaker, 'closed');
    assert.equal(ep.InFlight, 0);
    assert.equal(ep.WindowSeconds, 300);
    assert.equal(ep.Attempts, 1);
    assert.equal(ep.Failed, 1);
    assert.equal(ep.Delivered, 0);
    assert.equal(ep.SuccessRate, 0);
    assert.equal(typeof ep.LatencyP50Ms, 'number');
    assert.equal(ep.OldestPendingAgeMs, null);
  });

  it('test_callback sends one signed test callback now and answers what the receiver said', async () => {
    const before = receiver.received.length;
    const xss = await call('readwire_callback/test_callback', {});
    assert.equal(xss.Ok, 0);
    assert.equal(xss.Status, 200);
    assert.equal(xss.ResponseExcerpt, XSS);
    receiver.behaviour = ok(0, XSS);
    const r = await call('readwire_callback/test_callback', {});
    assert.equal(r.Ok, 1);
    assert.equal(r.ResponseErrorInfo, XSS);
    assert.equal(JSON.parse(r.ResponseExcerpt).ErrorInfo, XSS);
    assert.match(r.Url, /CallbackCommand=Readwire\.TestCallback/);
    assert.match(r.Url, /Sign=••••/);
    assert.equal(receiver.received.length, before + 2);
    const got = receiver.received.at(-1)!;
    assert.equal(got.query.get('CallbackCommand'), 'Readwire.TestCallback');
    assert.equal(got.json.Test, 1);
    assert.ok(got.headers['webhook-signature'], 'signed');
    assert.equal((await call('readwire_callback/list_events', {})).Events.length, 1, 'nothing queued');
  });

  it('get_config masks secrets, judges the URL; set_config rotates the signing secret and replaces the token', async () => {
    const c = await call('readwire_callback/get_config', {});
    assert.equal(c.TokenMasked, '••••abcd');
    assert.equal(c.SigningSecretMasked, '••••wxyz');
    assert.deepEqual(c.UrlVerdict.Allowed, true);
    assert.ok(!JSON.stringify(c).includes(TOKEN) && !JSON.stringify(c).includes(SIGNING));
    const rotated = await call('readwire_callback/set_config', { RotateSigningSecret: 1 });
    assert.match(rotated.SigningSecret, /^whsec_/);
    await call('readwire_callback/set_config', { Token: 'new-token-9876' });
    const shown = await call('readwire_callback/get_config', { ShowSecrets: true });
    assert.equal(shown.Callback.signingSecret, rotated.SigningSecret);
    assert.equal(shown.Callback.token, 'new-token-9876');
    assert.equal(shown.Callback.url, `${receiver.url}/cb?token=in-url-secret`);
    const both = await asConsole('readwire_callback/set_config', { RotateSigningSecret: 1, Token: 'x' });
    assert.equal(both.json.ErrorCode, 70402);
  });

  it('user_overview: counts as get_c2c_unread_msg_num, watermarks, last message; hostile text stays JSON text', async () => {
    for (let i = 0; i < 3; i++) {
      await call('openim/sendmsg', {
        From_Account: XSS,
        To_Account: 'alice',
        MsgRandom: 100 + i,
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: XSS } }],
      });
    }
    const r = await call('readwire_console/user_overview', { Account: 'alice' });
    const unread = await call('openim/get_c2c_unread_msg_num', { To_Account: 'alice', Peer_Account: [XSS, 'bob'] });
    assert.equal(r.Exists, 1);
    assert.equal(r.TotalUnread, unread.AllC2CUnreadMsgNum);
    assert.equal(r.TotalUnread, 3);
    const byPeer = new Map<string, any>((r.Conversations as any[]).map((c): [string, any] => [String(c.Peer), c]));
    for (const p of unread.C2CUnreadMsgNumList) assert.equal(byPeer.get(p.Peer_Account).Unread, p.C2CUnreadMsgNum);
    const hostile = r.Conversations[0];
    assert.equal(hostile.Peer, XSS);
    assert.equal(hostile.LastMessage.Text, XSS);
    assert.equal(hostile.LastMessage.From_Account, XSS);
    assert.match(hostile.LastMessage.MsgId, /^\d+-\d+-\d+$/);
    const bob = byPeer.get('bob');
    assert.ok(bob.ReadTime > 0, 'alice read bob');
    const none = await call('readwire_console/user_overview', { Account: 'nobody' });
    assert.deepEqual([none.Exists, none.TotalUnread, none.Conversations], [0, 0, []]);
  });
});
