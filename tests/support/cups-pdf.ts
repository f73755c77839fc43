/**
 * The CUPS test queues of issue 11 (scripts/ensure-cupsd.sh): Debian's cups-pdf
 * backend writing each job as a PDF named after the job's title ("PIV card
 * <job id>" → PIV_card_<job id>-job_<CUPS job>.pdf) into its own folder. Each
 * test file makes its own queue and deletes it afterwards. Tests wait for the
 * file system's event, never a fixed time.
 */
import { readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { run } from './vpcd-card.js';

/** Where the cups-pdf instance of the test queues writes (scripts/ensure-cupsd.sh). */
export const CUPS_PDF_OUT = '/var/spool/cups-pdf/piv-station';
/** How long cups-pdf may take to write a card's PDF. */
const PDF_TIMEOUT_MS = 60_000;

/**
 * Starts cupsd when it is not running and makes a queue of this test run's own, named after the
 * process ("PIV-Station-PDF-<pid>": a test that stops its queue stops nobody else's), enabled and
 * accepting. Without a terminal: sudo only when not root, never a prompt (`sudo -n`).
 * @returns the queue's name
 * @throws Error with the script's output when it fails
 */
export async function createCupsPdfQueue(): Promise<string> {
  const queue = `PIV-Station-PDF-${process.pid}`;
  const r = await run('bash', ['scripts/ensure-cupsd.sh'], { timeoutMs: 60_000, env: { STATION_TEST_QUEUE: queue } });
  if (r.code !== 0) throw new Error(`scripts/ensure-cupsd.sh failed (${r.code}): ${r.stderr}${r.stdout}`);
  return queue;
}

/** Deletes a queue createCupsPdfQueue made, with its pending jobs (the PDFs it wrote stay). */
export async function removeCupsPdfQueue(queue: string): Promise<void> {
  const r = await run(...asRoot('lpadmin', ['-x', queue]));
  if (r.code !== 0) throw new Error(`lpadmin -x ${queue}: ${r.stderr}`);
}

/** Stops (`cupsdisable -r reason`) or starts (`cupsenable`) a test queue, as an operator at the printer would. */
export async function setQueueEnabled(queue: string, enabled: boolean, reason = 'stopped by the test'): Promise<void> {
  const r = await run(...(enabled ? asRoot('cupsenable', [queue]) : asRoot('cupsdisable', ['-r', reason, queue])));
  if (r.code !== 0) throw new Error(`${enabled ? 'cupsenable' : 'cupsdisable'} ${queue}: ${r.stderr}`);
}

/** A CUPS administration command, through `sudo -n` (fails instead of prompting) when the test is not root. */
function asRoot(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? [cmd, args] : ['sudo', ['-n', cmd, ...args]];
}

/** The first file in `folder` whose name passes `match`, waiting for the file system's event when it is not there yet. */
export function waitForFile(folder: string, match: (name: string) => boolean, timeoutMs = PDF_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const found = () => readdirSync(folder).find(match);
    const watcher = watch(folder, () => {
      const name = found();
      if (name) done(name);
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`no file for the print in ${folder}`));
    }, timeoutMs);
    const done = (name: string) => {
      clearTimeout(timer);
      watcher.close();
      resolve(join(folder, name));
    };
    const already = found();
    if (already) done(already);
  });
}

/** The PDF cups-pdf wrote for production job `jobId` (its print title carries the job id), once written. */
export function waitForCardPdf(jobId: string, timeoutMs?: number): Promise<string> {
  return waitForFile(CUPS_PDF_OUT, (n) => n.endsWith('.pdf') && n.includes(jobId), timeoutMs);
}

/** The PDFs cups-pdf wrote for `jobId` so far (one per print). */
export function cardPdfs(jobId: string): string[] {
  return readdirSync(CUPS_PDF_OUT).filter((n) => n.endsWith('.pdf') && n.includes(jobId));
}

/** The CUPS job number in a cups-pdf file name (…-job_N.pdf): the order CUPS took the prints in. */
export function cupsJobNumber(file: string): number {
  const m = /-job_(\d+)\.pdf$/.exec(file);
  if (!m) throw new Error(`${file} carries no CUPS job number`);
  return Number(m[1]);
}

/** Zone 14F's expiration date as printed: YYYYMMMDD (FIPS 201-3 §4.1.4.1), from an ISO date. */
export function printedDate(isoDate: string): string {
  const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
  const [y, m, d] = isoDate.split('-');
  return `${y}${months[Number(m) - 1]}${d}`;
}

/** The text of a PDF, as pdftotext (poppler) reads it. */
export async function pdfText(path: string): Promise<string> {
  const r = await run('pdftotext', [path, '-']);
  if (r.code !== 0) throw new Error(`pdftotext ${path}: ${r.stderr}`);
  return r.stdout;
}

/** Renders page 1.. of a PDF to PNG files `<prefix>-1.png`, … with pdftoppm at `dpi`. */
export async function renderPdf(path: string, prefix: string, dpi = 150): Promise<void> {
  const r = await run('pdftoppm', ['-r', String(dpi), '-png', path, prefix]);
  if (r.code !== 0) throw new Error(`pdftoppm ${path}: ${r.stderr}`);
}
