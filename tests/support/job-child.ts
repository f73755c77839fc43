/**
 * A second process on a station's data dir, for the job-claim tests (issue 10,
 * finding 12): run with `node --import tsx tests/support/job-child.ts DATA_DIR VERB JOB_ID [READER]`.
 * VERB retry | cancel: tries it as the CLI would (ProductionService), prints
 *   one JSON line `{ "status": … }` or `{ "code": … }` and exits 0.
 * VERB claim-and-die: claims the job and exits without releasing it, as a
 *   process killed mid-run leaves its claim.
 * It has its own in-process training reader: it never touches PC/SC.
 */
import { openStationRoot as openStation } from '../../electron/boot/open-station.js';
import { toStationError } from '../../electron/core/errors.js';
import { jobClaimsOf } from '../../electron/core/issuance/job-claims.js';
import { TrainingReaderProvider } from '../../native/virtual-card/training-reader.js';
import { VirtualPivCard } from '../../native/virtual-card/card.js';

const [dataDir, verb, jobId, readerName] = process.argv.slice(2);
if (!dataDir || !verb || !jobId) throw new Error('usage: job-child.ts DATA_DIR retry|cancel|claim-and-die JOB_ID [READER]');
const readers = new TrainingReaderProvider();
readers.insert(VirtualPivCard.create());
const station = await openStation({ dataDir, training: true, readers });
if (verb === 'claim-and-die') {
  jobClaimsOf(station.store).claim(jobId);
  process.stdout.write(`${JSON.stringify({ claimed: jobId })}\n`);
  process.exit(0); // no release, no close: like kill -9
}
try {
  const out = verb === 'retry' ? (await station.production.retry(jobId, readerName!, undefined)).job : await station.production.cancel(jobId, 'from another process');
  process.stdout.write(`${JSON.stringify({ status: out.status })}\n`);
} catch (e) {
  process.stdout.write(`${JSON.stringify({ code: toStationError(e).code })}\n`);
}
await station.close();
