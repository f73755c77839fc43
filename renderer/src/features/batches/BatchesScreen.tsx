/**
 * Mass production (card production administrator): select approved requests
 * (or give a CSV file of them, read and checked by the core), run them as a batch on every free reader (or the readers chosen), and watch
 * each batch: done / failed / remaining, cards per hour, what to do at each
 * reader, every card's state; a batch pauses and resumes, a waiting or failed
 * card can be cancelled with a reason. Requests already waiting in a batch are
 * not offered for a new one.
 */
import { useEffect, useState } from 'react';
import { useBatches, useReaders, useRequests, useSession, useStores } from '../../stores/stores';
import { mayCall } from '../../../../electron/contract/access';
import { requestsInOpenBatches } from '../../../../electron/contract/batch-rules';
import { BatchPanel, cards } from './BatchPanel';
import { BatchCsvPicker } from './BatchCsvPicker';

/** Where the batch's requests come from: the approved requests ticked on screen, or a CSV file. */
type BatchSource = 'selected' | 'csv';

export function BatchesScreen() {
  const stores = useStores();
  const officer = useSession((s) => s.officer);
  const allApproved = useRequests((s) => s.approved);
  const readers = useReaders((s) => s.readers);
  const list = useBatches((s) => s.list);
  const listError = useBatches((s) => s.listError);
  const startError = useBatches((s) => s.startError);
  const csv = useBatches((s) => s.csv);
  const [source, setSource] = useState<BatchSource>('selected');
  /** Bumped when a batch starts, so the file input forgets the file it started. */
  const [csvRound, setCsvRound] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allReaders, setAllReaders] = useState(true);
  const [chosenReaders, setChosenReaders] = useState<Set<string>>(new Set());
  const [starting, setStarting] = useState(false);
  const canStart = mayCall(officer, 'batches.start');
  // A request already waiting in a batch cannot go into another one (the core refuses it): it is not offered.
  const held = requestsInOpenBatches(list);
  const approved = allApproved.filter((r) => !held.has(r.id));

  useEffect(() => {
    void stores.batches.getState().loadList();
    if (canStart) void stores.requests.getState().loadApproved();
  }, [stores, canStart]);

  const toggle = (set: Set<string>, id: string) => {
    const next = new Set(set);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  };
  const selectedIds = approved.filter((r) => selected.has(r.id)).map((r) => r.id);
  // A file with any bad line starts nothing: the officer mends it first.
  const csvIds = csv && csv.problems.length === 0 ? csv.requests.map((r) => r.requestId) : [];
  const requestIds = source === 'csv' ? csvIds : selectedIds;
  const readersOk = allReaders || chosenReaders.size > 0;

  async function start() {
    setStarting(true);
    const batchId = await stores.batches.getState().startBatch({ requestIds, readers: allReaders ? 'all' : [...chosenReaders] });
    setStarting(false);
    if (batchId) {
      setSelected(new Set());
      stores.batches.getState().clearCsv();
      setCsvRound((n) => n + 1);
      void stores.requests.getState().loadApproved();
    }
  }

  return (
    <section className="batches-screen" data-testid="batches-screen" aria-labelledby="batches-title">
      <h2 id="batches-title">Mass production</h2>
      {canStart && (
        <section className="step batch-form" aria-labelledby="batch-form-title">
          <h3 id="batch-form-title">New batch</h3>
          <fieldset>
            <legend>Cards to produce</legend>
            <label className="choice">
              <input type="radio" name="batch-source" data-testid="batch-source-selected" checked={source === 'selected'} onChange={() => setSource('selected')} />
              Approved requests chosen here
            </label>
            <label className="choice">
              <input type="radio" name="batch-source" data-testid="batch-source-csv" checked={source === 'csv'} onChange={() => setSource('csv')} />
              From a CSV file
            </label>
          </fieldset>
          {source === 'csv' ? (
            <BatchCsvPicker key={csvRound} />
          ) : approved.length === 0 ? (
            <p className="muted" data-testid="batch-no-requests">
              {allApproved.length > 0 ? 'Every approved request is already in a batch.' : 'No approved request is waiting for production.'}
            </p>
          ) : (
            <fieldset>
              <legend>Approved requests</legend>
              <label className="choice">
                <input
                  type="checkbox"
                  data-testid="batch-select-all"
                  checked={selectedIds.length === approved.length}
                  onChange={(e) => setSelected(e.target.checked ? new Set(approved.map((r) => r.id)) : new Set())}
                />
                {approved.length === 1 ? 'The approved request' : `All ${approved.length} approved requests`}
              </label>
              {approved.map((r) => (
                <label key={r.id} className="choice">
                  <input
                    type="checkbox"
                    data-testid="batch-request"
                    data-request-id={r.id}
                    checked={selected.has(r.id)}
                    onChange={() => setSelected((s) => toggle(s, r.id))}
                  />
                  {r.personName} · {r.profile}
                  {r.cardNumber && <> · card {r.cardNumber}</>}
                </label>
              ))}
            </fieldset>
          )}
          <fieldset>
            <legend>Readers</legend>
            <label className="choice">
              <input type="radio" name="batch-readers" data-testid="batch-readers-all" checked={allReaders} onChange={() => setAllReaders(true)} />
              Every free reader
            </label>
            <label className="choice">
              <input type="radio" name="batch-readers" data-testid="batch-readers-chosen" checked={!allReaders} onChange={() => setAllReaders(false)} />
              Only these readers:
            </label>
            {!allReaders &&
              readers.map((r) => (
                <label key={r.name} className="choice indent">
                  <input
                    type="checkbox"
                    data-testid="batch-reader"
                    data-reader={r.name}
                    checked={chosenReaders.has(r.name)}
                    onChange={() => setChosenReaders((s) => toggle(s, r.name))}
                  />
                  {r.name}
                </label>
              ))}
          </fieldset>
          {startError && (
            <p className="error" role="alert" data-testid="batch-error">
              {startError}
            </p>
          )}
          <button type="button" className="primary" data-testid="batch-start" disabled={starting || requestIds.length === 0 || !readersOk} onClick={() => void start()}>
            {starting ? 'Starting…' : `Start the batch (${cards(requestIds.length)})`}
          </button>
        </section>
      )}

      <h3>Batches</h3>
      {listError && (
        <p className="error" role="alert">
          {listError}
        </p>
      )}
      {list.length === 0 && !listError ? <p className="muted">No batch yet.</p> : list.map((b) => <BatchPanel key={b.id} batch={b} canCancel={mayCall(officer, 'batches.cancelItem')} canPause={mayCall(officer, 'batches.setPaused')} />)}
    </section>
  );
}
