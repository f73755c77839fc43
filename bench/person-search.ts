/**
 * Person search and browse latency at scale (issue 14): fills a fresh store
 * with N synthetic persons (100 000 and 1 000 000) through the store's own
 * insert, then times every query kind the Persons screen offers — each kind
 * REPEAT times, each time for another person of the directory (a fixed
 * pseudo-random sample, so runs compare), after one untimed warm-up:
 *
 * - search (store.persons.search, 50 results and the count the screen shows):
 *   surname prefixes of 1, 3 and 6 characters, a whole surname, a given-name
 *   prefix, a whole given name, full names ("Ada Lovelace", "Lovelace, Ada"),
 *   an employee id and its prefix, an e-mail and its prefix, a substring from
 *   inside a surname, a full name nobody has (a given name and a surname that
 *   never meet), the end of an e-mail after the surname, and a string that
 *   matches nobody;
 * - browse (store.persons.list, pages of 50 with the total): the first page,
 *   the next and the previous page next to a person anywhere in the list, and
 *   the last page; for everyone and for one affiliation.
 *
 * Figures only; nothing is asserted (tests never assert on wall time).
 * Environment: BENCH_PERSONS ("100000,1000000"; BENCH_QUICK=1: "10000", seconds to fill),
 * BENCH_SEARCH_REPEAT (50; BENCH_QUICK=1: 15), BENCH_PERSONS_CACHE (a folder:
 * each filled database is kept there, per size and schema version, and copied
 * from there by later runs instead of inserting a million persons again).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../native/sqlite.js';
import { openStore, type StationStore as Store } from '../electron/core/store/store.js';
import { MIGRATIONS } from '../electron/core/store/migrations.js';
import type { PersonKey, PersonPageRequest } from '../electron/core/store/persons.js';
import { ms, percentiles, writeResultsSection } from './results.js';

const QUICK = process.env.BENCH_QUICK === '1';
/** Results per search and persons per browse page, as the Persons screen asks. */
const PAGE = 50;

const GIVEN = ['Ada', 'Grace', 'Alan', 'Katherine', 'Hedy', 'Margaret', 'Dennis', 'Barbara', 'Edsger', 'Frances', 'John', 'Radia', 'Leslie', 'Shafi', 'Tim'];
const SURNAMES = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Lamarr', 'Hamilton', 'Ritchie', 'Liskov', 'Dijkstra', 'Allen', 'Backus', 'Perlman', 'Lamport', 'Goldwasser', 'Berners'];
const AFFILIATIONS = ['employee', 'contractor', 'visitor'] as const;

/** Synthetic person number i (also the row's rowid - 1: persons are inserted in order). */
function person(i: number) {
  const surname = `${SURNAMES[i % SURNAMES.length]}${Math.floor(i / SURNAMES.length)}`;
  return {
    givenName: GIVEN[(i * 7) % GIVEN.length]!,
    surname,
    email: `${surname.toLowerCase()}.${i}@agency.example`,
    employeeId: `E${String(i).padStart(8, '0')}`,
    affiliation: AFFILIATIONS[i % 3]!,
  };
}
type SyntheticPerson = ReturnType<typeof person>;

/** The query an officer types for person p, per search kind. */
const SEARCHES: { kind: string; query(p: SyntheticPerson, r: number): string }[] = [
  { kind: 'surname prefix, 1 character', query: (p) => p.surname.slice(0, 1) },
  { kind: 'surname prefix, 3 characters', query: (p) => p.surname.slice(0, 3) },
  { kind: 'surname prefix, 6 characters', query: (p) => p.surname.slice(0, 6) },
  { kind: 'whole surname', query: (p) => p.surname },
  { kind: 'given name prefix', query: (p) => p.givenName.slice(0, 3) },
  { kind: 'whole given name', query: (p) => p.givenName },
  { kind: 'full name "given surname"', query: (p) => `${p.givenName} ${p.surname}` },
  { kind: 'full name "surname, given"', query: (p) => `${p.surname}, ${p.givenName}` },
  { kind: 'employee id', query: (p) => p.employeeId },
  { kind: 'employee id prefix', query: (p) => p.employeeId.slice(0, 6) },
  { kind: 'e-mail', query: (p) => p.email },
  { kind: 'e-mail prefix', query: (p) => p.email.slice(0, 8) },
  { kind: 'substring inside a surname', query: (p) => p.surname.slice(2, 8) },
  // A full name nobody has ("Ada Hopper": a given name and a surname that never meet): every part is common, the whole is rare.
  { kind: 'full name nobody has', query: (p, r) => `${p.givenName} ${SURNAMES[(SURNAMES.indexOf(p.surname.replace(/[0-9]+$/, '')) + 1 + (r & 1)) % SURNAMES.length]}` },
  { kind: 'substring inside an e-mail', query: (p) => p.email.slice(p.email.indexOf('.') + 1) },
  { kind: 'no match', query: (_p, r) => `Zzyzx${r}` },
];

/** One query kind's figures. */
export interface QueryFigure {
  kind: string;
  /** The last query of the kind, as an example. */
  example: string;
  /** Persons in the last answer, and the count it gave (`more`: more than `total` match). */
  results: number;
  total: number;
  more: boolean;
  /** Wall time of one answer. */
  medianMs: number;
  p95Ms: number;
  /** CPU time this process spent on one answer (wall time less the waits for a busy machine's CPU). */
  cpuMedianMs: number;
  cpuP95Ms: number;
}

/** The figures of one directory size. */
export interface SizeFigures {
  persons: number;
  /** Time to insert every person through store.persons.add (10 000 a transaction), in seconds; null when copied from BENCH_PERSONS_CACHE. */
  loadSeconds: number | null;
  search: QueryFigure[];
  browse: QueryFigure[];
}

/** What {@link benchPersonSearch} measured. */
export interface PersonSearchFigures {
  repeat: number;
  pageSize: number;
  sizes: SizeFigures[];
}

/** A deterministic sample of `count` person numbers below n (a linear congruential walk). */
function sample(n: number, count: number): number[] {
  const out: number[] = [];
  let x = 12345;
  for (let r = 0; r < count; r++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.push(x % n);
  }
  return out;
}

/** Times `run` once per target after one untimed warm-up; the last answer is kept as the example. */
function measure<T>(kind: string, targets: number[], describe: (i: number, r: number) => string, run: (i: number, r: number) => T, count: (answer: T) => { results: number; total: number; more: boolean }): QueryFigure {
  run(targets[0]!, -1);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let last: T | undefined;
  targets.forEach((i, r) => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    last = run(i, r);
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
  });
  const t = percentiles(times);
  const c = percentiles(cpuTimes);
  const lastIndex = targets.length - 1;
  return { kind, example: describe(targets[lastIndex]!, lastIndex), ...count(last as T), medianMs: ms(t.median), p95Ms: ms(t.p95), cpuMedianMs: ms(c.median), cpuP95Ms: ms(c.p95) };
}

async function benchSize(n: number, repeat: number, log: (line: string) => void): Promise<SizeFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'piv-station-bench-persons-'));
  const file = join(dir, 'bench.sqlite');
  const cacheDir = process.env.BENCH_PERSONS_CACHE;
  const cached = cacheDir ? join(cacheDir, `persons-${n}-schema-${MIGRATIONS.length}.sqlite`) : undefined;
  if (cached && existsSync(cached)) copyFileSync(cached, file);
  const db = openDatabase(file);
  try {
    const store: Store = openStore(db);
    let loadSeconds: number | null = null;
    if (store.persons.list({ limit: 1 }).total === 0) {
      const t0 = performance.now();
      const chunk = 10_000;
      for (let start = 0; start < n; start += chunk) {
        store.transaction(() => {
          for (let i = start; i < Math.min(n, start + chunk); i++) store.persons.add(person(i));
        });
      }
      loadSeconds = Math.round((performance.now() - t0) / 100) / 10;
      if (cacheDir && cached) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        mkdirSync(cacheDir, { recursive: true });
        copyFileSync(file, `${cached}.tmp`);
        renameSync(`${cached}.tmp`, cached);
      }
    }
    log(`\n${n.toLocaleString('en')} persons (${loadSeconds === null ? `copied from ${cached}` : `inserted in ${loadSeconds} s`})`);

    const targets = sample(n, repeat);
    const search = SEARCHES.map(({ kind, query }) =>
      measure(
        kind,
        targets,
        (i, r) => query(person(i), r),
        (i, r) => store.persons.search(query(person(i), r), { limit: PAGE }),
        (a) => ({ results: a.persons.length, total: a.total, more: a.more }),
      ),
    );
    printTable(log, 'search (50 results and the count)', search);

    // Browse: the key of a person anywhere in the list (person i is row i + 1), one of the affiliation for the filtered list.
    const keyOf = db.prepare('SELECT surname, given_name AS givenName, id FROM persons WHERE rowid = ?');
    const key = (i: number) => keyOf.get(i + 1) as PersonKey;
    const browse: QueryFigure[] = [];
    for (const affiliation of [undefined, 'visitor'] as const) {
      const label = affiliation ?? 'everyone';
      const inFilter = (i: number) => (affiliation ? i - (i % 3) + AFFILIATIONS.indexOf(affiliation) : i) % n;
      const pages: [string, (i: number) => PersonPageRequest][] = [
        ['first page', () => ({ limit: PAGE })],
        ['next page, any depth', (i) => ({ limit: PAGE, after: key(inFilter(i)) })],
        ['previous page, any depth', (i) => ({ limit: PAGE, before: key(inFilter(i)) })],
        ['last page', () => ({ limit: PAGE, last: true })],
      ];
      for (const [where, request] of pages) {
        const requests = new Map(targets.map((i) => [i, { ...request(i), ...(affiliation ? { affiliation } : {}) }]));
        browse.push(
          measure(
            `${where}, ${label}`,
            targets,
            (i) => JSON.stringify(requests.get(i)),
            (i) => store.persons.list(requests.get(i)!),
            (a) => ({ results: a.persons.length, total: a.total, more: false }),
          ),
        );
      }
    }
    printTable(log, 'browse (pages of 50 and the total)', browse);
    return { persons: n, loadSeconds, search, browse };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(log: (line: string) => void, title: string, rows: QueryFigure[]): void {
  const cells = (c: (string | number)[]) => c.map((x, i) => (i === 0 ? String(x).padEnd(40) : String(x).padStart(i < 3 ? 7 : 10))).join(' ');
  log(cells([title, 'shown', 'count', 'median ms', 'p95 ms', 'CPU med', 'CPU p95']));
  for (const r of rows) {
    log(cells([r.kind, r.results, `${r.more ? '>' : ''}${r.total}`, r.medianMs.toFixed(2), r.p95Ms.toFixed(2), r.cpuMedianMs.toFixed(2), r.cpuP95Ms.toFixed(2)]));
  }
}

/**
 * Runs the person search and browse benchmark for every configured size and
 * prints a table per size.
 * @param options.sizes  directory sizes (default BENCH_PERSONS, else 100 000 and 1 000 000; BENCH_QUICK: 10 000)
 * @param options.repeat timed runs per query kind (default BENCH_SEARCH_REPEAT, else 50; BENCH_QUICK: 15)
 * @param options.log    where the table goes (default console.log)
 * @returns the figures, times in ms
 */
export async function benchPersonSearch(options: { sizes?: number[]; repeat?: number; log?: (line: string) => void } = {}): Promise<PersonSearchFigures> {
  const sizes = options.sizes ?? (process.env.BENCH_PERSONS ?? (QUICK ? '10000' : '100000,1000000')).split(',').map(Number);
  const repeat = options.repeat ?? Number(process.env.BENCH_SEARCH_REPEAT ?? (QUICK ? 15 : 50));
  const log = options.log ?? ((line: string) => console.log(line));
  log(`\nPerson search and browse latency: ${repeat} runs per kind, each for another person`);
  const figures: PersonSearchFigures = { repeat, pageSize: PAGE, sizes: [] };
  for (const n of sizes) figures.sizes.push(await benchSize(n, repeat, log));
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchPersonSearch()
    .then((figures) => writeResultsSection('personSearch', figures))
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
