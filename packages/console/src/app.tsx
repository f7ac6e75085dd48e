import { useState } from 'preact/hooks';
import * as creds from './credentials.ts';
import { go, useRoute } from './use-route.ts';
import { LoginPage } from './pages/login-page.tsx';
import { LivePage } from './pages/live-page.tsx';
import { DeliveriesPage } from './pages/deliveries-page.tsx';
import { EventPage } from './pages/event-page.tsx';
import { EndpointsPage } from './pages/endpoints-page.tsx';
import { UsersPage } from './pages/users-page.tsx';
import { SettingsPage } from './pages/settings-page.tsx';

const NAV: [string, string][] = [
  ['live', 'Live'],
  ['deliveries', 'Deliveries'],
  ['endpoints', 'Endpoints'],
  ['users', 'Users'],
  ['settings', 'Callback settings'],
];

/** The console: a header with the app picker and navigation, and the page of the hash route. */
export function App() {
  const route = useRoute();
  const [, setVersion] = useState(0);
  const refresh = () => setVersion((v) => v + 1);
  const c = creds.current();
  const page = route[0] ?? 'live';
  if (!c || page === 'login') {
    return (
      <Shell>
        <LoginPage
          onLogin={() => {
            refresh();
            go('live');
          }}
        />
      </Shell>
    );
  }
  const all = creds.loadAll();
  return (
    <Shell>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Readwire Console</span>
        <nav aria-label="Pages">
          {NAV.map(([id, label]) => (
            <a key={id} href={`#/${id}`} aria-current={page === id ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <div class="who">
          <label>
            <span class="sr">App</span>
            <select
              value={c.app}
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (v === '+') go('login');
                else {
                  creds.select(v);
                  refresh();
                }
              }}
            >
              {all.map((x) => (
                <option key={x.app} value={x.app}>
                  {`App ${x.app} · ${x.id}`}
                </option>
              ))}
              <option value="+">Add an app…</option>
            </select>
          </label>
          <button
            type="button"
            class="link"
            onClick={() => {
              creds.forget(c.app);
              refresh();
            }}
          >
            Log out
          </button>
        </div>
      </header>
      <main key={c.app} id="main" tabIndex={-1}>
        {pageFor(page, route[1], c)}
      </main>
    </Shell>
  );
}

function pageFor(page: string, arg: string | undefined, c: creds.Credentials) {
  switch (page) {
    case 'live':
      return <LivePage c={c} />;
    case 'deliveries':
      return arg ? <EventPage c={c} eventId={arg} /> : <DeliveriesPage c={c} />;
    case 'endpoints':
      return <EndpointsPage c={c} />;
    case 'users':
      return <UsersPage c={c} account={arg} />;
    case 'settings':
      return <SettingsPage c={c} />;
    default:
      return (
        <p class="note empty">
          No such page. <a href="#/live">Go to Live</a>.
        </p>
      );
  }
}

function Shell({ children }: { children: preact.ComponentChildren }) {
  return <div class="shell">{children}</div>;
}
