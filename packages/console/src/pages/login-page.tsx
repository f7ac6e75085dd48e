import { useState } from 'preact/hooks';
import { call } from '../api.ts';
import { save } from '../credentials.ts';
import { ErrorNote } from '../notes.tsx';

/** Login: SDKAppID, admin identifier and UserSig, checked with one admin call before they are kept. */
export function LoginPage({ onLogin }: { onLogin: () => void }) {
  const [app, setApp] = useState('');
  const [id, setId] = useState('administrator');
  const [sig, setSig] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const c = { app: app.trim(), id: id.trim(), sig: sig.trim() };
    try {
      await call(c, 'readwire_callback', 'get_config');
      save(c);
      onLogin();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="login">
      <h1>Readwire Console</h1>
      <p>
        Log in as an app's admin. The quickest way is the link printed by <code>readwire serve</code> or{' '}
        <code>readwire console-link</code>; or paste the values here. They stay in this tab only.
      </p>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          SDKAppID
          <input name="app" inputMode="numeric" required value={app} onInput={(e) => setApp(e.currentTarget.value)} />
        </label>
        <label>
          Admin identifier
          <input name="id" required value={id} onInput={(e) => setId(e.currentTarget.value)} />
        </label>
        <label>
          UserSig
          <textarea
            name="sig"
            required
            rows={3}
            spellcheck={false}
            autocomplete="off"
            value={sig}
            onInput={(e) => setSig(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Log in'}
        </button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}
