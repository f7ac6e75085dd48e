import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.ts';
import type { Credentials } from '../credentials.ts';
import { go } from '../use-route.ts';
import { EmptyNote, ErrorNote, fmtSeconds, text } from '../notes.tsx';

interface Conversation {
  Peer: string;
  Unread: number;
  ReadTime: number;
  PeerReadTime: number;
  LastMessage: { MsgId: string; From_Account: string; To_Account: string; MsgTime: number; Text: string } | null;
}

interface Overview {
  Account: string;
  Exists: boolean | number;
  TotalUnread: number;
  /** 0 when the account has more conversations than were listed. */
  Complete?: number;
  Conversations: Conversation[];
}

/** Users: look up an account's unread counts and conversations; mark one read or send a test message. */
export function UsersPage({ c, account }: { c: Credentials; account: string | undefined }) {
  const [draft, setDraft] = useState(account ?? '');
  const [ov, setOv] = useState<Overview>();
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState<string>();
  const [reload, setReload] = useState(0);
  const [to, setTo] = useState('');
  const [msg, setMsg] = useState('Hello from the Readwire Console');
  useEffect(() => setDraft(account ?? ''), [account]);
  useEffect(() => {
    setOv(undefined);
    if (!account) return;
    const ac = new AbortController();
    call<Overview>(c, 'readwire_console', 'user_overview', { Account: account }, ac.signal)
      .then((r) => {
        setOv(r);
        setError(undefined);
      })
      .catch((e: unknown) => !ac.signal.aborted && setError(e));
    return () => ac.abort();
  }, [c, account, reload]);
  async function act(what: string, f: () => Promise<unknown>) {
    setNote(undefined);
    setError(undefined);
    try {
      await f();
      setNote(what);
      setReload((n) => n + 1);
    } catch (e) {
      setError(e);
    }
  }
  const markRead = (peer: string) =>
    act(`Marked ${peer} read for ${account ?? ''}; the read callback is on its way (see Live).`, () =>
      call(c, 'openim', 'admin_set_msg_read', { Report_Account: account, Peer_Account: peer }),
    );
  const send = (e: Event) => {
    e.preventDefault();
    void act(`Sent a test message from ${account ?? ''} to ${to}.`, () =>
      call(c, 'openim', 'sendmsg', {
        SyncOtherMachine: 2,
        From_Account: account,
        To_Account: to,
        MsgRandom: Math.floor(Math.random() * 4294967295),
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: msg } }],
      }),
    );
  };
  return (
    <section>
      <h1>Users</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim()) go('users', draft.trim());
        }}
      >
        <label>
          Account (UserID)
          <input name="account" required value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="submit">Look up</button>
        </div>
      </form>
      {note && (
        <p class="note ok" role="status">
          {note}
        </p>
      )}
      <ErrorNote error={error} />
      {!account && <EmptyNote>Type a UserID to see its unread counts and conversations.</EmptyNote>}
      {ov && ov.Account === account && (
        <>
          <p class="total">
            <span>{`${ov.Account}: `}</span>
            <strong data-testid="total-unread">{String(ov.TotalUnread)}</strong>
            <span>{` unread in ${ov.Conversations.length} conversation${ov.Conversations.length === 1 ? '' : 's'}`}</span>
            {!ov.Exists && <span>{' (no such account has been imported or seen)'}</span>}
            {ov.Complete === 0 && <span>{' — the first 100 conversations are listed'}</span>}
          </p>
          {ov.Conversations.length === 0 ? (
            <EmptyNote>No conversations yet. Send a test message below to start one.</EmptyNote>
          ) : (
            <div class="scroll">
              <table class="conversations" aria-label="Conversations">
                <thead>
                  <tr>
                    <th>Peer</th>
                    <th>Unread</th>
                    <th>{`${ov.Account} read up to`}</th>
                    <th>Peer read up to</th>
                    <th>Last message</th>
                    <th>Action</th>
                  </tr>
                </thead>
                <tbody>
                  {ov.Conversations.map((cv) => (
                    <tr key={cv.Peer} data-peer={cv.Peer}>
                      <td>{cv.Peer}</td>
                      <td data-testid="unread">{String(cv.Unread)}</td>
                      <td>{fmtSeconds(cv.ReadTime)}</td>
                      <td>{fmtSeconds(cv.PeerReadTime)}</td>
                      <td class="clip">
                        {cv.LastMessage
                          ? `${cv.LastMessage.From_Account}: ${text(cv.LastMessage.Text)} (${fmtSeconds(cv.LastMessage.MsgTime)})`
                          : '—'}
                      </td>
                      <td>
                        <button type="button" disabled={cv.Unread === 0} onClick={() => void markRead(cv.Peer)}>
                          Mark read
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <form class="filters" onSubmit={send} aria-label="Send a test message">
            <h2>Send a test message</h2>
            <label>
              To (UserID)
              <input name="to" required value={to} onInput={(e) => setTo(e.currentTarget.value)} />
            </label>
            <label>
              Text
              <input name="text" required value={msg} onInput={(e) => setMsg(e.currentTarget.value)} />
            </label>
            <div class="actions">
              <button type="submit">{`Send as ${ov.Account}`}</button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
