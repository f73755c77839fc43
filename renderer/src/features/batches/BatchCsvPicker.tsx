/**
 * A batch from a CSV file: the officer picks the file, the core reads and
 * checks it (`batches.parseCsv`), and this shows what the core found: the
 * requests the file names, or every bad line with what is wrong with it.
 * Only a file without problems can start a batch (BatchesScreen).
 */
import { requestNumberText } from '../../../../electron/contract/request-number';
import type { ChangeEvent } from 'react';
import { useBatches, useStores } from '../../stores/stores';
import { cards } from './BatchPanel';

export function BatchCsvPicker() {
  const stores = useStores();
  const csv = useBatches((s) => s.csv);
  const csvError = useBatches((s) => s.csvError);

  function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (file) void stores.batches.getState().checkCsvFile(file);
    else stores.batches.getState().clearCsv();
  }

  return (
    <fieldset>
      <legend>CSV file of approved requests</legend>
      <label>
        File (one request id a line, or a column headed “request”):{' '}
        <input type="file" accept=".csv,text/csv,text/plain" data-testid="batch-csv-file" onChange={onFile} />
      </label>
      {csvError && (
        <p className="error" role="alert" data-testid="batch-csv-error">
          {csvError}
        </p>
      )}
      {csv && csv.problems.length > 0 && (
        <div role="alert">
          <p className="error">
            {csv.fileName} cannot start a batch: mend {csv.problems.length === 1 ? 'this line' : `these ${csv.problems.length} lines`} and choose the file again.
          </p>
          <ul>
            {csv.problems.map((p, i) => (
              <li key={i} className="error" data-testid="batch-csv-problem" data-line={p.line ?? ''}>
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {csv && csv.problems.length === 0 && (
        <div data-testid="batch-csv-requests">
          <p>
            {csv.fileName}: {cards(csv.requests.length)} to produce.
          </p>
          <ul>
            {csv.requests.map((r) => (
              <li key={r.requestId} data-testid="batch-csv-request" data-request-id={r.requestId}>
                Line {r.line}: {requestNumberText(r.requestNumber)} · {r.personName}
              </li>
            ))}
          </ul>
        </div>
      )}
    </fieldset>
  );
}
