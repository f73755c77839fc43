/**
 * The station window: header (organization, training banner), the main
 * navigation, the readers sidebar (always visible) and the current screen.
 * Navigation is in-memory state, never the URL: the URL carries the bridge
 * token and must carry nothing else.
 */
import { useEffect, useState } from 'react';
import { useStation, useStores } from './stores/stores';
import { ReadersPanel } from './features/readers/ReadersPanel';
import { IssueFlow } from './features/issue/IssueFlow';
import { ProductionScreen } from './features/production/ProductionScreen';
import { QueueScreen } from './features/queue/QueueScreen';

type View = { name: 'issue' } | { name: 'queue' } | { name: 'production'; jobId: string };

export function App() {
  const stores = useStores();
  const info = useStation((s) => s.info);
  const stationError = useStation((s) => s.error);
  const [view, setView] = useState<View>({ name: 'issue' });

  useEffect(() => {
    void stores.station.getState().load();
    const stopReaders = stores.readers.getState().start();
    const stopJobs = stores.jobs.getState().start();
    return () => {
      stopReaders();
      stopJobs();
    };
  }, [stores]);

  const openJob = (jobId: string) => setView({ name: 'production', jobId });

  return (
    <div className="app">
      <header className="app-header">
        <h1>
          PIV Station{info?.organization && <span className="org"> · {info.organization}</span>}
        </h1>
        <nav aria-label="Main">
          <button type="button" data-testid="nav-issue" aria-current={view.name === 'issue' ? 'page' : undefined} onClick={() => setView({ name: 'issue' })}>
            Issue card
          </button>
          <button type="button" data-testid="nav-queue" aria-current={view.name === 'queue' ? 'page' : undefined} onClick={() => setView({ name: 'queue' })}>
            Production queue
          </button>
        </nav>
        {info && <span className="version muted">v{info.version}</span>}
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
      <div className="layout">
        <ReadersPanel />
        <main className="content">
          {view.name === 'issue' && <IssueFlow onJobStarted={openJob} />}
          {view.name === 'queue' && <QueueScreen onOpenJob={openJob} />}
          {view.name === 'production' && <ProductionScreen key={view.jobId} jobId={view.jobId} />}
        </main>
      </div>
    </div>
  );
}
