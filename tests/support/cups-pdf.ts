/**
 * The CUPS test queue of issue 11 (scripts/ensure-cupsd.sh): "PIV-Station-PDF",
 * Debian's cups-pdf backend writing each job as a PDF named after the job's
 * title ("PIV card <job id>" → PIV_card_<job id>-job_<CUPS job>.pdf) into its
 * own folder. Tests wait for the file system's event, never a fixed time.
 */
import { readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { run } from './vpcd-card.js';

/** The queue the integration and e2e tests print to. */
export const CUPS_PDF_QUEUE = process.env.STATION_TEST_QUEUE ?? 'PIV-Station-PDF';
/** Where that queue's cups-pdf writes. */
export const CUPS_PDF_OUT = '/var/spool/cups-pdf/piv-station';
/** How long cups-pdf may take to write a card's PDF. */
const PDF_TIMEOUT_MS = 60_000;

/**
 * Starts cupsd and makes the test queue (idempotent; enabled and accepting).
 * @throws Error with the script's output when it fails
 */
export async function ensureCupsPdfQueue(): Promise<void> {
  const r = await run('bash', ['scripts/ensure-cupsd.sh'], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`scripts/ensure-cupsd.sh failed (${r.code}): ${r.stderr}${r.stdout}`);
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
