/**
 * The station's PrintSpooler (electron/core/physical/print-spooler.ts) over
 * CUPS's own commands: `lp` submits (the PDF on its standard input, the title
 * with -t), `cancel` cancels, and `ipptool` asks the scheduler over IPP for
 * the queues (CUPS-Get-Printers) and a queue's jobs (Get-Jobs, which-jobs all:
 * job-id, job-state, job-state-reasons, job-name), so the station sees what
 * CUPS sees. Linux and macOS only; Windows printing is out of scope (README).
 *
 * Sources: CUPS "lp", "cancel" and "ipptool" man pages; RFC 8011 §5.3.7
 * (job-state 3 pending … 9 completed) and §5.4.11 (printer-state 3 idle, 4
 * processing, 5 stopped); the CUPS-Get-Printers operation (CUPS IPP extensions).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StationError } from '../../electron/core/errors.js';
import { readCsv } from '../../electron/core/csv.js';
import { writeFileAtomic } from '../../electron/core/atomic-file.js';
import type { PrintJobState, PrintSpooler, QueueStatus, SpoolerJob } from '../../electron/core/physical/print-spooler.js';

/** Where the CUPS scheduler listens for ipptool (lp and cancel find it themselves). */
export interface CupsOptions {
  /** host[:port] of the scheduler; default: CUPS_SERVER when it names a host, else localhost:631. */
  server?: string;
  /** Longest a CUPS command may take, ms. */
  commandTimeoutMs?: number;
}

/** ipptool's job-state words (RFC 8011 §5.3.7). */
const JOB_STATES: Record<string, PrintJobState> = {
  pending: 'pending',
  'pending-held': 'held',
  processing: 'processing',
  'processing-stopped': 'stopped',
  canceled: 'canceled',
  aborted: 'aborted',
  completed: 'completed',
};
const PRINTER_STATES: Record<string, QueueStatus['state']> = { idle: 'idle', processing: 'processing', stopped: 'stopped' };

const GET_JOBS = `{
  NAME "jobs"
  OPERATION Get-Jobs
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR language attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR keyword which-jobs all
  ATTR keyword requested-attributes job-id,job-state,job-state-reasons,job-name
  STATUS successful-ok
  DISPLAY job-id
  DISPLAY job-state
  DISPLAY job-state-reasons
  DISPLAY job-name
}
`;
const GET_PRINTERS = `{
  NAME "printers"
  OPERATION CUPS-Get-Printers
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR language attributes-natural-language en
  ATTR keyword requested-attributes printer-name,printer-state,printer-is-accepting-jobs,printer-state-message
  STATUS successful-ok
  DISPLAY printer-name
  DISPLAY printer-state
  DISPLAY printer-is-accepting-jobs
  DISPLAY printer-state-message
}
`;

let testFiles: { jobs: string; printers: string } | undefined;
/** ipptool reads its requests from files: written once per process to a private temporary directory. */
function ippTests(): { jobs: string; printers: string } {
  if (!testFiles) {
    const dir = mkdtempSync(join(tmpdir(), 'piv-station-ipp-'));
    testFiles = { jobs: join(dir, 'get-jobs.test'), printers: join(dir, 'get-printers.test') };
    writeFileAtomic(testFiles.jobs, GET_JOBS, { mode: 0o600 });
    writeFileAtomic(testFiles.printers, GET_PRINTERS, { mode: 0o600 });
  }
  return testFiles;
}

function unavailable(message: string, queue?: string): StationError {
  return new StationError('PRINTER_UNAVAILABLE', message, queue ? { queue } : {});
}

/** Runs a CUPS command; resolves with its output and exit code (never throws for a non-zero exit). */
function run(cmd: string, args: string[], timeoutMs: number, input?: Uint8Array): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = input ? spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs }) : undefined;
    if (child) {
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', (e: NodeJS.ErrnoException) => reject(e));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      child.stdin!.on('error', () => {}); // lp may exit before reading everything (refused queue): its exit code says why
      child.stdin!.end(Buffer.from(input!));
      return;
    }
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return reject(err);
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Creates the CUPS spooler. */
export function cupsSpooler(options: CupsOptions = {}): PrintSpooler {
  const envServer = process.env.CUPS_SERVER && !process.env.CUPS_SERVER.startsWith('/') ? process.env.CUPS_SERVER : undefined;
  const server = options.server ?? envServer ?? 'localhost:631';
  const timeoutMs = options.commandTimeoutMs ?? 30_000;
  const queueUri = (queue: string) => `ipp://${server}/printers/${encodeURIComponent(queue)}`;

  async function cups(cmd: string, args: string[], input?: Uint8Array) {
    try {
      return await run(cmd, args, timeoutMs, input);
    } catch {
      throw unavailable(`The print system cannot be used: ${cmd} is missing (install CUPS: cups-client and cups-ipp-utils).`);
    }
  }

  async function ipp(uri: string, test: string): Promise<string[][] | undefined> {
    const r = await cups('ipptool', ['-c', '-T', String(Math.ceil(timeoutMs / 1000)), uri, test]);
    const text = `${r.stdout}\n${r.stderr}`;
    if (r.code !== 0) {
      if (/does not exist|not-found|client-error-not-found/i.test(text)) return undefined;
      throw unavailable('The print system (CUPS) does not answer: is cupsd running?');
    }
    return readCsv(r.stdout).slice(1).map((rec) => rec.fields);
  }

  return {
    async queues() {
      const rows = await ipp(`ipp://${server}/`, ippTests().printers);
      return (rows ?? []).map(([name, state, accepting, message]) => ({
        name: name ?? '',
        state: PRINTER_STATES[state ?? ''] ?? 'stopped',
        accepting: accepting === 'true',
        message: message ?? '',
      }));
    },
    async queue(name) {
      return (await this.queues()).find((q) => q.name === name);
    },
    async submit(queue, title, pdf, media) {
      // CUPS's custom size keyword (Custom.WxHmm): card printers' drivers and generic queues alike take it.
      const size = media ? ['-o', `media=Custom.${media.widthMm}x${media.heightMm}mm`] : [];
      const r = await cups('lp', ['-d', queue, '-t', title, '-o', 'document-format=application/pdf', ...size, '-'], pdf);
      const id = /request id is .*-(\d+) /.exec(r.stdout)?.[1];
      if (r.code !== 0 || !id) {
        // lp's own words name the cause (not accepting jobs, unknown destination); keep them short.
        const why = (r.stderr || r.stdout).replace(/^lp:\s*/, '').trim().split('\n')[0]!.slice(0, 200);
        throw unavailable(`The printer "${queue}" refused the job: ${why || 'lp failed'}.`, queue);
      }
      return Number(id);
    },
    async jobs(queue) {
      const rows = await ipp(queueUri(queue), ippTests().jobs);
      if (!rows) throw unavailable(`There is no print queue "${queue}".`, queue);
      return rows.map(
        ([id, state, reasons, title]): SpoolerJob => ({
          id: Number(id),
          state: JOB_STATES[state ?? ''] ?? 'pending',
          reasons: (reasons ?? '').split(',').filter((x) => x && x !== 'none'),
          title: title ?? '',
        }),
      );
    },
    async cancel(queue, jobId) {
      // "cancel" fails for a job already finished or gone: nothing is left to cancel then.
      await cups('cancel', [`${queue}-${jobId}`]);
    },
  };
}
