/**
 * `station batch run --requests R1,R2,… | --csv FILE  --readers all|NAME,NAME --as USERNAME`:
 * mass production from the command line, through the core's StationApi (the
 * same role checks as the officer UI). The command stays attached and prints
 * the batch's progress until every card is done or cancelled; Ctrl-C leaves
 * the batch running in the station (it resumes the next time the station opens).
 * `station batch show BATCH` and `station batch list` print batches (BATCH: its number, "B-000012");
 * `station batch cancel BATCH --request R --reason TEXT` cancels one item;
 * `station batch pause BATCH` and `station batch resume BATCH` pause and resume a batch.
 * While it follows a batch, the command prints what to do at each reader
 * whenever that changes ("Remove card 00000007 from … and insert a blank card.").
 */
import { z } from 'zod';
import type { CliContext } from '../context.js';
import { readInputFile } from '../files.js';
import { parseOption, required } from '../args.js';
import { StationError } from '../../core/errors.js';
import type { BatchView } from '../../contract/station-api.js';
import { batchNumberText, requestNumberText } from '../../contract/request-number.js';

type Flags = Record<string, string | boolean | undefined>;

const RequestList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'request ids are letters, digits and dashes')).min(1, 'name at least one request'));
const ReaderList = z.union([z.literal('all'), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0)).pipe(z.array(z.string().min(1).max(128)).min(1))]);

function progressLine(b: BatchView): string {
  const rate = b.cardsPerHour === null ? '' : `, ${b.cardsPerHour} cards/h`;
  return `batch ${batchNumberText(b.number)}: ${b.done} done, ${b.failed} failed, ${b.remaining} remaining of ${b.total}${rate}`;
}

function printBatch(b: BatchView): void {
  process.stdout.write(`${progressLine(b)} [${b.status}] readers: ${b.readers.join(', ')}\n`);
  for (const i of b.items) {
    process.stdout.write(`  ${i.state.padEnd(9)} ${i.requestNumber === null ? i.requestId : requestNumberText(i.requestNumber)}  ${i.personName}${i.readerName ? `  (${i.readerName})` : ''}${i.failure ? `: ${i.failure}` : ''}\n`);
  }
}

/** Waits until the batch is done or cancelled, printing a line on every change; SIGINT/SIGTERM stop waiting (the batch goes on). */
async function follow(ctx: CliContext, batchId: string, number: number): Promise<BatchView> {
  let last = '';
  let stop: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = () => stop?.();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let wake: (() => void) | undefined;
  const off = await ctx.on('batch.changed', (e) => {
    if (e.batchId === batchId) wake?.();
  });
  try {
    for (;;) {
      const view = await ctx.call('batches.get', { batchId });
      const todo = (view.prompts ?? []).filter((p) => p.action !== 'producing').map((p) => p.sentence);
      const line = [progressLine(view), ...todo].join('\n');
      if (line !== last) ctx.say(line);
      last = line;
      if (view.status === 'done' || view.status === 'cancelled') return view;
      const changed = new Promise<void>((resolve) => (wake = resolve));
      const interrupted = await Promise.race([changed.then(() => false), stopped.then(() => true)]);
      if (interrupted) {
        ctx.say(`Stopped following batch ${batchNumberText(number)}; it stays running and resumes when the station opens again.`);
        return await ctx.call('batches.get', { batchId });
      }
    }
  } finally {
    off();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * The request ids of a CSV batch file, read and checked by the core
 * (`batches.parseCsv`, as for the officer UI).
 * @throws StationError INVALID_INPUT naming every bad line of the file
 */
async function requestsOfCsv(ctx: CliContext, path: string): Promise<string[]> {
  const csv = readInputFile(path, 'batch file').toString('utf8');
  const { requests, problems } = await ctx.call('batches.parseCsv', { csv });
  if (problems.length > 0) throw new StationError('INVALID_INPUT', `${path} starts no batch: ${problems.map((p) => p.message).join(' ')}`, { lines: problems.length });
  return requests.map((r) => r.requestId);
}

/** `station batch run|show|list|cancel …` */
export async function batchCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  if (verb === 'run') {
    let requestIds: string[];
    if (typeof flags.csv === 'string') {
      if (flags.requests) throw new StationError('INVALID_INPUT', 'Give either --requests or --csv, not both.');
      requestIds = await requestsOfCsv(ctx, flags.csv);
    } else {
      requestIds = parseOption('--requests', RequestList, required('requests', flags.requests));
    }
    const readers = parseOption('--readers', ReaderList, typeof flags.readers === 'string' ? flags.readers : 'all');
    const { batchId, number } = await ctx.call('batches.start', { requestIds, readers });
    ctx.say(`Batch ${batchNumberText(number)} started with ${requestIds.length} requests. Insert blank cards in the readers; a failed card goes back to the queue until it is put back or cancelled.`);
    const view = await follow(ctx, batchId, number);
    ctx.result(view, () => printBatch(view));
    return view.status === 'done' ? 0 : 1;
  }
  if (verb === 'show') {
    const batchId = args[0];
    if (!batchId) throw new StationError('INVALID_INPUT', 'Usage: station batch show BATCH');
    const view = await ctx.call('batches.get', { batchId });
    ctx.result(view, () => printBatch(view));
    return 0;
  }
  if (verb === 'list') {
    const list = await ctx.call('batches.list', {});
    ctx.result(list, () => list.forEach((b) => process.stdout.write(`${progressLine(b)} [${b.status}]\n`)));
    return 0;
  }
  if (verb === 'cancel') {
    const batchId = args[0];
    if (!batchId) throw new StationError('INVALID_INPUT', 'Usage: station batch cancel BATCH --request R --reason TEXT');
    const view = await ctx.call('batches.cancelItem', { batchId, requestId: required('request', flags.request), reason: required('reason', flags.reason) });
    ctx.result(view, () => printBatch(view));
    return 0;
  }
  if (verb === 'pause' || verb === 'resume') {
    const batchId = args[0];
    if (!batchId) throw new StationError('INVALID_INPUT', `Usage: station batch ${verb} BATCH`);
    const view = await ctx.call('batches.setPaused', { batchId, action: verb });
    ctx.result(view, () => printBatch(view));
    return 0;
  }
  throw new StationError(
    'INVALID_INPUT',
    'Usage: station batch run --requests R1,R2,… | --csv FILE [--readers all|NAME,NAME] --as USERNAME; station batch show BATCH | list | cancel BATCH --request R --reason TEXT | pause BATCH | resume BATCH',
  );
}
