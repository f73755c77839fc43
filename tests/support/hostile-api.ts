/**
 * Hostile StationApi input (issue 13 "Bad input"), for the tests that feed it
 * through each face's door (Electron IPC, the browser host's WebSocket): for
 * every channel, fixed hostile values (wrong types, prototype pollution,
 * unknown fields, path traversal, SQL, control and bidi characters, huge and
 * deep values) and random ones, all inputs the channel's schema refuses; and
 * a snapshot of every table of the store, to show that nothing was written.
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Database } from 'better-sqlite3';
import { CHANNELS, CHANNEL_ROLES, channels, type Channel, type Result } from '../../electron/contract/station-api.js';

/** One call through a face: the face's own transport to the core's dispatch. */
export type FaceCall = (channel: string, input: unknown) => Promise<Result<unknown>>;

/** Values no well-behaved renderer sends, for any field. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  -1,
  2 ** 53 + 1,
  1.5,
  '',
  ' ',
  'x'.repeat(100_000),
  '../../../../etc/passwd',
  "'; DROP TABLE persons; --",
  "1' OR '1'='1",
  '\u202Eevil\u202C',
  'nul\u0000byte',
  '\u001b]0;owned\u0007\u001b[2J',
  '<img src=x onerror=alert(1)>',
  '{{constructor.constructor("return process")()}}',
  [],
  ['a'],
  {},
  JSON.parse('{"__proto__":{"polluted":true}}'),
  { constructor: { prototype: { polluted: true } } },
];

/** Whole inputs that are no object of any channel, and objects of the wrong shape. */
function wholeInputs(): unknown[] {
  let deep: unknown = 'bottom';
  for (let i = 0; i < 2_000; i++) deep = { deep };
  return [null, 42, 'persons.add', [], [{}], true, JSON.parse('{"__proto__":{"polluted":true}}'), { unexpected: 1 }, deep];
}

/** The field names of a channel's input, when its schema is an object. */
function fieldsOf(channel: Channel): string[] {
  const schema = channels[channel].input as unknown as { shape?: Record<string, unknown> };
  return schema.shape ? Object.keys(schema.shape) : [];
}

/** True when the channel's own schema refuses `input` (the door must then refuse it with INVALID_INPUT). */
export function refusedBySchema(channel: Channel, input: unknown): boolean {
  return !channels[channel].input.safeParse(input === undefined ? {} : input).success;
}

/** The fixed hostile inputs of `channel` its schema refuses: whole inputs, and each field set to each hostile value. */
export function fixedHostileInputs(channel: Channel): unknown[] {
  const inputs: unknown[] = wholeInputs();
  for (const field of fieldsOf(channel)) for (const value of HOSTILE_VALUES) inputs.push({ [field]: value });
  return inputs.filter((i) => refusedBySchema(channel, i));
}

/**
 * Random inputs (any value, objects with the channel's field names) its schema refuses, as the
 * door receives them.
 * @param structured values Electron IPC's structured clone carries but JSON does not (Map, Set,
 *                   Date, typed arrays, BigInt, null-prototype objects, undefined); false: JSON
 *                   values only, judged after the JSON round trip of the WebSocket (which drops
 *                   what JSON cannot say, e.g. `{ "": undefined }` arrives as `{}`, a valid input)
 */
export function randomHostileInput(channel: Channel, structured: boolean): fc.Arbitrary<unknown> {
  const anything = structured
    ? fc.anything({ withMap: true, withSet: true, withDate: true, withTypedArray: true, withBigInt: true, withNullPrototype: true, withBoxedValues: true })
    : fc.jsonValue();
  const fields = fieldsOf(channel);
  const keys = fields.length > 0 ? fc.constantFrom(...fields) : fc.string();
  const keyed = fc.dictionary(keys, anything, { maxKeys: Math.max(fields.length, 5) });
  const received = (i: unknown) => (structured ? i : JSON.parse(JSON.stringify(i)));
  return fc.oneof(anything, keyed).filter((i) => refusedBySchema(channel, received(i)));
}

/** Every row of every table, hashed per table: equal snapshots mean nothing was written. */
export function storeSnapshot(db: Database): Record<string, string> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => {
      const rows = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all();
      const text = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      return [name, `${rows.length}:${createHash('sha256').update(text).digest('hex')}`];
    }),
  );
}

/** The channels a logged-in all-roles officer connection may call (kiosk channels need a kiosk connection). */
export const OFFICER_CHANNELS = CHANNELS.filter((c) => CHANNEL_ROLES[c] !== 'kiosk');
/** The channels of a connection in kiosk mode. */
export const KIOSK_CHANNELS = CHANNELS.filter((c) => CHANNEL_ROLES[c] === 'kiosk' || CHANNEL_ROLES[c] === 'public');

/**
 * Feeds `calledChannels` every fixed hostile input and `opts.randomRuns` random ones each through `call`,
 * asserting each is refused with INVALID_INPUT (a validation error, never INTERNAL) and that no
 * prototype was polluted.
 * @returns how many calls were made
 */
export async function assertHostileInputRefused(call: FaceCall, calledChannels: readonly Channel[], opts: { structured: boolean; randomRuns?: number }): Promise<number> {
  let calls = 0;
  const refused = async (channel: Channel, input: unknown) => {
    calls++;
    const r = await call(channel, input);
    expect(r.ok, `${channel} accepted ${inspect(input, { depth: 2, maxStringLength: 80, breakLength: Infinity })}`).toBe(false);
    if (!r.ok) expect(r.error.code, `${channel}: ${r.error.message}`).toBe('INVALID_INPUT');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  };
  for (const channel of calledChannels) {
    for (const input of fixedHostileInputs(channel)) await refused(channel, input);
    await fc.assert(fc.asyncProperty(randomHostileInput(channel, opts.structured), (input) => refused(channel, input)), { numRuns: opts.randomRuns ?? 15 });
  }
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'persons.add.x', 'PERSONS.ADD', '../persons.add']) {
    calls++;
    const r = await call(name, {});
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  }
  return calls;
}

/**
 * One face's door under hostile input: its officer connection (an all-roles officer) and its kiosk
 * connection each refuse every hostile input with INVALID_INPUT, more than 1 000 calls in all,
 * and the store is unchanged.
 */
export async function expectDoorRefusesHostileInput(db: Database, door: { officer: FaceCall; kiosk: FaceCall; structured: boolean }): Promise<void> {
  const before = storeSnapshot(db);
  const officerCalls = await assertHostileInputRefused(door.officer, OFFICER_CHANNELS, { structured: door.structured });
  const kioskCalls = await assertHostileInputRefused(door.kiosk, KIOSK_CHANNELS, { structured: door.structured });
  expect(officerCalls + kioskCalls).toBeGreaterThan(1_000);
  expect(storeSnapshot(db)).toEqual(before);
}
