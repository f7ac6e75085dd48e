import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.ts';
import type { Credentials } from '../credentials.ts';
import { EmptyNote, ErrorNote } from '../notes.tsx';
import { TestCallbackAnswer, type TestAnswer } from './test-callback-answer.tsx';

const COMMANDS = [
  'C2C.CallbackBeforeSendMsg',
  'C2C.CallbackAfterSendMsg',
  'C2C.CallbackAfterMsgReport',
  'C2C.CallbackAfterMsgWithDraw',
  'C2C.CallbackAfterMsgReadReceipt',
  'C2C.CallbackAfterMsgReadAll',
  'C2C.CallbackAfterModifyMsg',
  'State.StateChange',
];

interface CallbackConfig {
  url: string;
  commands: string[];
  token?: string;
  signingSecret?: string;
  timeoutMs?: number;
  retry?: unknown;
}

interface ConfigAnswer {
  Callback: CallbackConfig | null;
  Source?: string;
  TokenSet?: boolean;
  SigningSecretSet?: boolean;
  RetryScheduleSeconds?: number[];
  UrlVerdict?: { Allowed: boolean; Reason: string };
  TokenMasked?: string | null;
  SigningSecretMasked?: string | null;
}

/** Callback settings: URL, enabled commands, masked token and signing secret, the SSRF verdict, a test callback. */
export function SettingsPage({ c }: { c: Credentials }) {
  const [cfg, setCfg] = useState<ConfigAnswer>();
  const [url, setUrl] = useState('');
  const [cmds, setCmds] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState<string>();
  const [test, setTest] = useState<TestAnswer>();
  const [busy, setBusy] = useState(false);
  async function load() {
    try {
      const r = await call<ConfigAnswer>(c, 'readwire_callback', 'get_config');
      setCfg(r);
      setUrl(r.Callback?.url ?? '');
      setCmds(r.Callback?.commands ?? ['C2C.CallbackAfterMsgReport']);
    } catch (e) {
      setError(e);
    }
  }
  useEffect(() => void load(), [c]);
  const [token, setToken] = useState('');
  /** Runs an action; the note is `what`, or what the action answers. */
  async function run(what: string, f: () => Promise<string | void>) {
    setBusy(true);
    setError(undefined);
    setNote(undefined);
    try {
      setNote((await f()) || what);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const save = (e: Event) => {
    e.preventDefault();
    void run('Saved: the next attempt uses these settings.', async () => {
      // Secrets are kept: the full current config (with them) is sent back with the edited fields.
      const cur = await call<ConfigAnswer>(c, 'readwire_callback', 'get_config', { ShowSecrets: true });
      await call(c, 'readwire_callback', 'set_config', { Callback: { ...(cur.Callback ?? {}), url, commands: cmds } });
    });
  };
  const rotate = () =>
    void run('The signing secret was rotated; receivers must use the new one from now on.', async () => {
      const r = await call<{ SigningSecret?: string }>(c, 'readwire_callback', 'set_config', {
        RotateSigningSecret: 1,
      });
      if (r.SigningSecret) return `New signing secret, shown only now (give it to your receiver): ${r.SigningSecret}`;
    });
  const replaceToken = () =>
    void run('The token was replaced: callbacks are signed with it from the next attempt.', async () => {
      await call(c, 'readwire_callback', 'set_config', { Token: token });
      setToken('');
    });
  const sendTest = () => {
    setBusy(true);
    setTest(undefined);
    setError(undefined);
    call<TestAnswer>(c, 'readwire_callback', 'test_callback')
      .then(setTest)
      .catch(setError)
      .finally(() => setBusy(false));
  };
  const v = cfg?.UrlVerdict;
  return (
    <section>
      <h1>Callback settings</h1>
      <ErrorNote error={error} />
      {note && (
        <p class="note ok" role="status">
          {note}
        </p>
      )}
      {cfg && !cfg.Callback && (
        <EmptyNote>Callbacks are off for this app. Enter your backend's callback URL below and save.</EmptyNote>
      )}
      {cfg && (
        <form class="settings" onSubmit={save}>
          <label>
            Callback URL
            <input name="url" type="url" required value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
          </label>
          <p class={v ? (v.Allowed ? 'verdict ok' : 'verdict bad') : 'verdict'} data-testid="url-verdict">
            {v
              ? `Address check (${v.Allowed ? 'allowed' : 'refused'}): ${v.Reason}`
              : 'Address check: shown after the URL is saved.'}
          </p>
          <fieldset>
            <legend>Enabled callbacks</legend>
            {COMMANDS.map((name) => (
              <label key={name} class="check">
                <input
                  type="checkbox"
                  checked={cmds.includes(name)}
                  onChange={(e) => setCmds(e.currentTarget.checked ? [...cmds, name] : cmds.filter((x) => x !== name))}
                />
                {name}
              </label>
            ))}
          </fieldset>
          <dl class="facts">
            <dt>Token</dt>
            <dd data-testid="token">{cfg.TokenMasked ?? (cfg.TokenSet ? 'set (hidden)' : 'not set')}</dd>
            <dt>Signing secret</dt>
            <dd data-testid="signing-secret">
              {cfg.SigningSecretMasked ?? (cfg.SigningSecretSet ? 'set (hidden)' : 'not set')}
            </dd>
            <dt>Retry schedule</dt>
            <dd>{cfg.RetryScheduleSeconds?.length ? `${cfg.RetryScheduleSeconds.join(', ')} s` : 'no retries'}</dd>
            <dt>Source</dt>
            <dd>{cfg.Source === 'set_config' ? 'saved from the console or the API' : 'configuration file'}</dd>
          </dl>
          <div class="actions">
            <button type="submit" disabled={busy}>
              Save
            </button>
            <button type="button" disabled={busy || !cfg.Callback} onClick={rotate}>
              {cfg.SigningSecretSet ? 'Rotate signing secret' : 'Create a signing secret'}
            </button>
            <button type="button" disabled={busy || !cfg.Callback} onClick={sendTest}>
              Send a test callback
            </button>
          </div>
        </form>
      )}
      {cfg?.Callback && (
        <form
          class="filters"
          aria-label="Replace the token"
          onSubmit={(e) => {
            e.preventDefault();
            replaceToken();
          }}
        >
          <label>
            New token
            <input
              name="token"
              required
              maxLength={128}
              autocomplete="off"
              value={token}
              onInput={(e) => setToken(e.currentTarget.value)}
            />
          </label>
          <div class="actions">
            <button type="submit" disabled={busy}>
              Replace token
            </button>
          </div>
        </form>
      )}
      {test && <TestCallbackAnswer test={test} />}
    </section>
  );
}
