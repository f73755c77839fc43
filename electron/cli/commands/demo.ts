/**
 * `station demo`: produces a card for a sample person on a virtual card in
 * pcscd's vpcd reader and prints the verification report. This is what the
 * README's "run the station" command does until the officer UI exists: the
 * whole real path (pcscd, PC/SC, the production job, the local CA).
 */
import type { CliContext } from '../context.js';
import { VirtualPivCard } from '../../../native/virtual-card/card.js';
import { attachToVpcd, VPCD_DEFAULT_HOST, VPCD_DEFAULT_PORT } from '../../../native/vpcd/link.js';
import { StationError } from '../../core/errors.js';
import { produceCommand } from './production.js';
import { randomBytes } from 'node:crypto';
import type { Caller } from '../../core/workflow/types.js';

type Flags = Record<string, string | boolean | undefined>;

/** The vpcd reader that listens on VPCD_DEFAULT_PORT. */
const DEMO_READER = 'Virtual PCD 00 00';
const CARD_WAIT_MS = 15_000;

/** Waits until pcscd reports a card in `reader`. @throws StationError NO_CARD on timeout */
async function waitForCard(list: () => Promise<{ name: string; cardPresent: boolean }[]>, reader: string): Promise<void> {
  const until = Date.now() + CARD_WAIT_MS;
  while (Date.now() < until) {
    const readers = await list();
    if (readers.some((r) => r.name === reader && r.cardPresent)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new StationError('NO_CARD', `pcscd did not see the virtual card in "${reader}": is vsmartcard-vpcd installed and pcscd running?`);
}

/**
 * On a new training station with no officer yet, the demo creates two
 * one-off officers with random passwords it never shows, as separation of
 * duties needs two people for every card: "demo.registrar" requests the
 * card, "demo" (administrator, production) produces it and runs the rest of
 * the command.
 * @returns the registrar as a caller
 * @throws StationError NOT_AUTHENTICATED when the station has officers (then `--as` is needed like for every other command)
 */
async function demoOfficers(ctx: CliContext): Promise<Caller> {
  const station = await ctx.station();
  if (!station.keyring.training || !station.officers.isFirstRun()) {
    throw new StationError('NOT_AUTHENTICATED', 'This station has officers: run the demo with --as USERNAME (password from STATION_PASSWORD).');
  }
  const password = randomBytes(24).toString('base64url');
  const admin = await station.officers.add({ username: 'demo', displayName: 'Demo officer', password, roles: ['admin', 'production'] }, { kind: 'anonymous' });
  const registrar = await station.officers.add(
    { username: 'demo.registrar', displayName: 'Demo registrar', password: randomBytes(24).toString('base64url'), roles: ['registration'] },
    { kind: 'officer', officer: admin, sessionId: 'demo' },
  );
  await ctx.loginWith('demo', password);
  ctx.say('Training station: created the one-off officers "demo.registrar" (requests the card) and "demo" (produces it) for this demonstration.');
  return { kind: 'officer', officer: registrar, sessionId: 'demo' };
}

export async function demoCommand(ctx: CliContext, flags: Flags): Promise<number> {
  const station = await ctx.station();
  const registrar = ctx.options.as ? undefined : await demoOfficers(ctx);
  const readers = await station.readers();
  const reader = typeof flags.reader === 'string' ? flags.reader : DEMO_READER;
  const card = VirtualPivCard.create();
  ctx.say(`Inserting a blank virtual PIV card (serial ${card.serial}) into "${reader}" through pcscd…`);
  const link = await attachToVpcd(card, { host: VPCD_DEFAULT_HOST, port: VPCD_DEFAULT_PORT });
  try {
    await waitForCard(() => readers.listReaders(), reader);
    // A visitor card for a visitor needs no approver: a registrar's request and a second officer's production.
    const person = station.store.persons.add({ givenName: 'Alex', surname: 'Sample', email: 'alex.sample@example.test', employeeId: String(Date.now() % 1_000_000), affiliation: 'visitor' });
    ctx.say(`Sample person ${person.givenName} ${person.surname} (${person.id}); producing…\n`);
    if (!registrar) return await produceCommand(ctx, { ...flags, person: person.id, reader });
    const request = station.requests.create({ personId: person.id, profile: 'visitor' }, registrar);
    return await produceCommand(ctx, { ...flags, request: request.id, reader });
  } finally {
    await link.detach();
  }
}
