/**
 * Person search latency at scale (issue 4 benchmark): fills a fresh store
 * with N synthetic persons (100 000 and 1 000 000 by default) and times the
 * searches an officer types at the desk: a surname prefix, a given name, an
 * employee id, an e-mail, and a string that matches nothing; then the
 * Persons screen's browse pages (store.persons.list, 50 a page): the first,
 * the middle and the last page, all persons and one affiliation.
 * Figures only; nothing is asserted.
 *
 * Environment: BENCH_PERSONS ("100000,1000000"), BENCH_SEARCH_REPEAT (20).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../native/sqlite.js';
import { openStore } from '../electron/core/store/store.js';

const SIZES = (process.env.BENCH_PERSONS ?? '100000,1000000').split(',').map(Number);
const REPEAT = Number(process.env.BENCH_SEARCH_REPEAT ?? 20);

const GIVEN = ['Ada', 'Grace', 'Alan', 'Katherine', 'Hedy', 'Margaret', 'Dennis', 'Barbara', 'Edsger', 'Frances', 'John', 'Radia', 'Leslie', 'Shafi', 'Tim'];
const SURNAMES = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Lamarr', 'Hamilton', 'Ritchie', 'Liskov', 'Dijkstra', 'Allen', 'Backus', 'Perlman', 'Lamport', 'Goldwasser', 'Berners'];

/** Deterministic synthetic person number i. */
function person(i: number) {
  const surname = `${SURNAMES[i % SURNAMES.length]}${Math.floor(i / SURNAMES.length)}`;
  return {
    givenName: GIVEN[(i * 7) % GIVEN.length]!,
    surname,
    email: `${surname.toLowerCase()}.${i}@agency.example`,
    employeeId: `E${String(i).padStart(8, '0')}`,
    affiliation: (['employee', 'contractor', 'visitor'] as const)[i % 3],
  };
}

/** Median and 95th percentile, in ms, of REPEAT runs of `fn`. */
function timeIt(fn: () => void): { median: number; p95: number } {
  const times: number[] = [];
  for (let r = 0; r < REPEAT; r++) {
    const s = performance.now();
    fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p95: percentile(times, 95) };
}

/** Prints the latency of browse pages (persons.list) at the start, middle and end of the list. */
function benchBrowse(store: ReturnType<typeof openStore>): void {
  const PAGE = 50;
  console.log(`${'browse page (50)'.padEnd(28)} ${'total'.padStart(9)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)}`);
  for (const affiliation of [undefined, 'visitor'] as const) {
    const total = store.persons.list({ offset: 0, limit: 1, affiliation }).total;
    for (const [where, offset] of [['first', 0], ['middle', Math.floor(total / 2)], ['last', Math.max(0, total - PAGE)]] as const) {
      const t = timeIt(() => store.persons.list({ offset, limit: PAGE, affiliation }));
      console.log(`${`${where} page, ${affiliation ?? 'all'}`.padEnd(28)} ${String(total).padStart(9)} ${t.median.toFixed(2).padStart(10)} ${t.p95.toFixed(2).padStart(8)}`);
    }
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function benchSize(n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'piv-station-bench-persons-'));
  const db = openDatabase(join(dir, 'bench.sqlite'));
  try {
    const store = openStore(db);
    const t0 = performance.now();
    const chunk = 10_000;
    for (let start = 0; start < n; start += chunk) {
      store.transaction(() => {
        for (let i = start; i < Math.min(n, start + chunk); i++) store.persons.add(person(i));
      });
    }
    const loadMs = performance.now() - t0;
    const mid = Math.floor(n / 2);
    const queries: [string, string][] = [
      ['surname prefix', person(mid).surname.slice(0, 6)],
      ['full surname', person(mid).surname],
      ['given name', 'Katherine'],
      ['employee id', person(mid).employeeId],
      ['e-mail', person(mid).email],
      ['no match', 'Zzyzx'],
    ];
    console.log(`\n${n.toLocaleString('en')} persons (loaded in ${(loadMs / 1000).toFixed(1)} s)`);
    console.log(`${'query'.padEnd(16)} ${'results'.padStart(7)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)}`);
    for (const [label, q] of queries) {
      const times: number[] = [];
      let count = 0;
      for (let r = 0; r < REPEAT; r++) {
        const s = performance.now();
        count = store.persons.search(q, 50).length;
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      console.log(`${label.padEnd(16)} ${String(count).padStart(7)} ${percentile(times, 50).toFixed(2).padStart(10)} ${percentile(times, 95).toFixed(2).padStart(8)}`);
    }
    benchBrowse(store);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the person search benchmark for every configured size. */
export async function benchPersonSearch(): Promise<void> {
  console.log('\nPerson search latency (store.persons.search, limit 50) and browse pages (store.persons.list)');
  for (const n of SIZES) await benchSize(n);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchPersonSearch().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
