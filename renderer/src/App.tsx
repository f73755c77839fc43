/**
 * The station window. Before anything else the session decides what shows:
 * the first-run screen (no officer yet), the login screen, or the station
 * itself (header with the officer and logout, the navigation the officer's
 * roles allow, the readers sidebar, the current screen), with the lock
 * overlay on top when the core locks the session. Navigation is in-memory
 * state, never the URL: the URL carries the bridge token and nothing else.
 */
import { lazy, Suspense, useEffect, useRef, useState, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { useScreenFocus } from './focus/screen-focus';
import type { Channel, OfficerView, Person } from '../../electron/contract/station-api';
import { forgetOfficerData, useJobs, useKiosk, useSession, useStation, useStores } from './stores/stores';
import { mayCall } from '../../electron/contract/access';
import { ReadersPanel } from './features/readers/ReadersPanel';
import { FirstRunScreen } from './features/auth/FirstRunScreen';
import { LoginScreen } from './features/auth/LoginScreen';
import { LockOverlay } from './features/auth/LockOverlay';
import { KioskModeButton, KioskScreen } from './features/kiosk/KioskScreen';
import { unrecordedSecrets } from './stores/jobs-store';
import { keepView, keptView } from './reload/page-memory';

/**
 * A screen loaded when it is first opened (issue 14, start-up): the login and first-run screens
 * come in the page's first script, the officer's screens each in their own chunk, fetched from
 * the same origin (the CSP's script-src 'self') when they are first opened.
 *
 * @param load the dynamic import of the screen's module (a literal `import()`, so the bundler
 *   splits it into its own chunk)
 * @param name the module's named export that is the screen component
 * @returns React.lazy's component for that export
 */
// React's own `lazy` bound is ComponentType<any>: a screen's props are whatever the screen takes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function lazyScreen<M extends Record<K, ComponentType<any>>, K extends keyof M>(load: () => Promise<M>, name: K): LazyExoticComponent<M[K]> {
  return lazy(async () => ({ default: (await load())[name] }));
}

const ProductionScreen = lazyScreen(() => import('./features/production/ProductionScreen'), 'ProductionScreen');
const QueueScreen = lazyScreen(() => import('./features/queue/QueueScreen'), 'QueueScreen');
const RequestsScreen = lazyScreen(() => import('./features/requests/RequestsScreen'), 'RequestsScreen');
const ProduceCardScreen = lazyScreen(() => import('./features/produce/ProduceCardScreen'), 'ProduceCardScreen');
const ApprovalsScreen = lazyScreen(() => import('./features/approvals/ApprovalsScreen'), 'ApprovalsScreen');
const BatchesScreen = lazyScreen(() => import('./features/batches/BatchesScreen'), 'BatchesScreen');
const OfficersScreen = lazyScreen(() => import('./features/officers/OfficersScreen'), 'OfficersScreen');
const ProfilesScreen = lazyScreen(() => import('./features/profiles/ProfilesScreen'), 'ProfilesScreen');
const CardsScreen = lazyScreen(() => import('./features/cards/CardsScreen'), 'CardsScreen');
const OutboxScreen = lazyScreen(() => import('./features/outbox/OutboxScreen'), 'OutboxScreen');
const AuditScreen = lazyScreen(() => import('./features/audit/AuditScreen'), 'AuditScreen');
const PersonsScreen = lazyScreen(() => import('./features/persons/PersonsScreen'), 'PersonsScreen');
const LayoutsScreen = lazyScreen(() => import('./features/layouts/LayoutsScreen'), 'LayoutsScreen');

type ScreenName = 'requests' | 'approvals' | 'produce' | 'batches' | 'queue' | 'officers' | 'cards' | 'outbox' | 'audit' | 'profiles' | 'layouts' | 'persons';
type View = { name: ScreenName } | { name: 'production'; jobId: string } | { name: 'requests'; person: Person };

/**
 * The navigation, one entry per officer task, in order: test id, words, and
 * the channels whose role rules decide whether it shows (any of them).
 * "Produce a card" covers producing an approved request and issuing directly.
 */
const NAV: { name: ScreenName; label: string; channels: readonly Channel[] }[] = [
  { name: 'requests', label: 'Requests', channels: ['requests.list'] },
  { name: 'approvals', label: 'Approvals', channels: ['requests.approve'] },
  { name: 'produce', label: 'Produce a card', channels: ['requests.produce', 'production.start'] },
  { name: 'batches', label: 'Mass production', channels: ['batches.list'] },
  { name: 'queue', label: 'Production queue', channels: ['jobs.list'] },
  { name: 'officers', label: 'Officers', channels: ['officers.list'] },
  { name: 'profiles', label: 'Card profiles', channels: ['profiles.update'] },
  { name: 'layouts', label: 'Card layouts', channels: ['layouts.update'] },
  { name: 'cards', label: 'Cards', channels: ['cards.list'] },
  { name: 'outbox', label: 'Notifications', channels: ['outbox.list'] },
  { name: 'audit', label: 'Audit log', channels: ['audit.list'] },
  { name: 'persons', label: 'Persons', channels: ['persons.list'] },
];

/** The screen shown before a reload of this page, when the officer may still open it. */
function restoredView(nav: { name: ScreenName }[]): View | null {
  const kept = keptView();
  if (!kept) return null;
  if (kept.name === 'production' && kept.jobId) return { name: 'production', jobId: kept.jobId };
  // "Issue card" is now part of "Produce a card".
  const name = kept.name === 'issue' ? 'produce' : kept.name;
  const allowed = nav.find((n) => n.name === name);
  return allowed ? { name: allowed.name } : null;
}

/** The screens `officer` may open, in navigation order. */
export function navFor(officer: OfficerView | null): typeof NAV {
  return NAV.filter((n) => n.channels.some((c) => mayCall(officer, c)));
}

export function App() {
  const stores = useStores();
  const loaded = useSession((s) => s.loaded);
  const firstRun = useSession((s) => s.firstRun);
  const officer = useSession((s) => s.officer);
  const locked = useSession((s) => s.locked);
  const kiosk = useKiosk((s) => s.kiosk);
  const kioskLoaded = useKiosk((s) => s.loaded);

  useEffect(() => {
    void stores.kiosk.getState().load();
    void stores.station.getState().load();
    void stores.session.getState().load();
    return stores.session.getState().start();
  }, [stores]);

  // Logged out (button, lock overlay, or the core forgot the session): the next officer starts clean.
  const officerId = officer?.id ?? null;
  useEffect(() => {
    if (officerId === null) forgetOfficerData(stores);
    else void stores.kiosk.getState().load(); // an officer's login ends kiosk mode in the core
  }, [officerId, stores]);

  let body: ReactNode;
  if (!loaded || !kioskLoaded) body = <p className="muted content">Connecting to the station…</p>;
  else if (kiosk && !officer) body = <KioskScreen />;
  else if (officer) body = <StationWindow key={officer.id} officer={officer} />;
  else if (firstRun) body = <FirstRunScreen />;
  else body = <LoginScreen />;

  return (
    <div className="app">
      {/* Behind the lock overlay nothing can be reached, by mouse or keyboard; it stays as it was. */}
      <div className="app-body" inert={officer !== null && locked}>
        <Header />
        {body}
      </div>
      {officer && locked && <LockOverlay />}
    </div>
  );
}

function Header() {
  const stores = useStores();
  const info = useStation((s) => s.info);
  const stationError = useStation((s) => s.error);
  const officer = useSession((s) => s.officer);
  return (
    <>
      <header className="app-header">
        <h1>
          PIV Station{info?.organization && <span className="org"> · {info.organization}</span>}
        </h1>
        {info && <span className="version muted">v{info.version}</span>}
        {officer && (
          <span className="session">
            <span data-testid="session-officer" data-username={officer.username}>
              {officer.displayName}
            </span>
            {mayCall(officer, 'kiosk.start') && <KioskModeButton />}
            <button
              type="button"
              data-testid="logout-button"
              onClick={() => void stores.session.getState().logout()}
            >
              Log out
            </button>
          </span>
        )}
      </header>
      {info?.training && (
        <div className="training-banner" data-testid="training-banner" role="status">
          Training station: test keys, not for real cards
        </div>
      )}
      {stationError && (
        <div className="error banner" role="alert">
          {stationError}
        </div>
      )}
    </>
  );
}

/** The logged-in station: navigation per role, readers, current screen. */
/** A number beside a menu entry (nothing when it is 0): `label` says what it counts, for screen readers. */
function NavCount({ testId, n, label, className = '' }: { testId: string; n: number; label: string; className?: string }) {
  if (n === 0) return null;
  return (
    <span className={`nav-count ${className}`.trim()} data-testid={testId} aria-label={`, ${n} ${label}`}>
      {n}
    </span>
  );
}

/** What waits for a menu entry's task, from the core's one count (station.counts; null: not this officer's task). */
function NavCounts({ name }: { name: ScreenName }) {
  const counts = useStation((s) => s.counts);
  if (!counts) return null;
  if (name === 'approvals' && counts.approvals !== null) return <NavCount testId="nav-count-approvals" n={counts.approvals} label="waiting" />;
  if (name === 'produce' && counts.produce !== null) return <NavCount testId="nav-count-produce" n={counts.produce} label="waiting" />;
  if (name === 'queue' && counts.queue) {
    const { pending, running, failed } = counts.queue;
    return <NavCount testId="nav-count-queue" n={pending + running + failed} label={`unfinished, ${failed} failed`} />;
  }
  if (name === 'outbox' && counts.notifications) {
    return (
      <>
        <NavCount testId="nav-count-outbox" n={counts.notifications.pending} label="pending" />
        <NavCount testId="nav-count-outbox-dead" n={counts.notifications.dead} label="dead letters" className="dead" />
      </>
    );
  }
  return null;
}

/** The logged-in station: navigation per role, readers, current screen. */
function StationWindow({ officer }: { officer: OfficerView }) {
  const stores = useStores();
  const nav = navFor(officer);
  const [view, setShownView] = useState<View>(() => restoredView(nav) ?? { name: nav[0]?.name ?? 'queue' });
  const [leaveBlocked, setLeaveBlocked] = useState(false);
  const unrecorded = useJobs((s) => unrecordedSecrets(s).length > 0);
  const setView = (next: View) => {
    // The result screen is left only once its PUK is recorded (issue 12 obs. 5).
    if (unrecordedSecrets(stores.jobs.getState()).length > 0) {
      setLeaveBlocked(true);
      return;
    }
    setLeaveBlocked(false);
    keepView(next.name === 'production' ? { name: 'production', jobId: next.jobId } : { name: next.name });
    setShownView(next);
  };

  useEffect(() => {
    const stops = [stores.readers.getState().start(), stores.jobs.getState().start(), stores.requests.getState().start(), stores.batches.getState().start()];
    return () => stops.forEach((stop) => stop());
  }, [stores]);

  // The counts beside the menu: what waits for this officer's tasks, from the core's one count, kept fresh by events.
  useEffect(() => stores.station.getState().startCounts(), [stores]);

  const mainRef = useRef<HTMLElement>(null);
  useScreenFocus(mainRef, view);

  const openJob = (jobId: string) => setView({ name: 'production', jobId });
  const allowed = (name: ScreenName) => nav.some((n) => n.name === name);

  return (
    <>
      <nav aria-label="Main" className="main-nav">
        {nav.map((n) => (
          <button key={n.name} type="button" data-testid={`nav-${n.name}`} aria-current={view.name === n.name ? 'page' : undefined} onClick={() => setView({ name: n.name })}>
            {n.label}
            <NavCounts name={n.name} />
          </button>
        ))}
      </nav>
      <div className="layout">
        <ReadersPanel />
        <main className="content" ref={mainRef}>
          {leaveBlocked && unrecorded && (
            <p className="error" role="alert" data-testid="leave-blocked">
              Confirm that the PUK is recorded (the button under it) before leaving this screen: it is shown only here.
            </p>
          )}
          {nav.length === 0 && <p className="muted">Your account has no role on this station yet. Ask an administrator to give you one.</p>}
          <Suspense fallback={<p className="muted">Opening the screen…</p>}>
            {view.name === 'requests' && allowed('requests') && <RequestsScreen key={'person' in view ? view.person.id : ''} person={'person' in view ? view.person : undefined} />}
            {view.name === 'approvals' && allowed('approvals') && <ApprovalsScreen />}
            {view.name === 'produce' && allowed('produce') && (
              <ProduceCardScreen onJobStarted={openJob} fromRequest={mayCall(officer, 'requests.produce')} direct={mayCall(officer, 'production.start')} />
            )}
            {view.name === 'batches' && allowed('batches') && <BatchesScreen />}
            {view.name === 'queue' && allowed('queue') && <QueueScreen onOpenJob={openJob} />}
            {view.name === 'officers' && allowed('officers') && <OfficersScreen />}
            {view.name === 'profiles' && allowed('profiles') && <ProfilesScreen />}
            {view.name === 'layouts' && allowed('layouts') && <LayoutsScreen />}
            {view.name === 'cards' && allowed('cards') && <CardsScreen onJobStarted={openJob} />}
            {view.name === 'outbox' && allowed('outbox') && <OutboxScreen />}
            {view.name === 'audit' && allowed('audit') && <AuditScreen />}
            {view.name === 'persons' && allowed('persons') && <PersonsScreen onRequestCard={allowed('requests') ? (person) => setView({ name: 'requests', person }) : undefined} />}
            {view.name === 'production' && <ProductionScreen key={view.jobId} jobId={view.jobId} />}
          </Suspense>
        </main>
      </div>
    </>
  );
}
