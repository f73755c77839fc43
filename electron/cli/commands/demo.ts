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
 * duties needs two people for every card: "demo" (administrator, production,
 * auth.firstRunAdmin) produces the card, "demo.registrar" (registration)
 * requests it. A station with officers needs `--as` like every other command.
 * @returns the registrar's password, for this run only
 * @throws StationError NOT_AUTHENTICATED when the station has officers
 */
async function demoOfficers(ctx: CliContext): Promise<{ admin: string; registrar: string }> {
  const [{ training }, { firstRun }] = [await ctx.call('station.info', {}), await ctx.call('auth.status', {})];
  if (!training || !firstRun) {
    throw new StationError('NOT_AUTHENTICATED', 'This station has officers: run the demo with --as USERNAME (password from STATION_PASSWORD).');
  }
  const passwords = { admin: randomBytes(24).toString('base64url'), registrar: randomBytes(24).toString('base64url') };
  await ctx.call('auth.firstRunAdmin', { username: 'demo', displayName: 'Demo officer', password: passwords.admin, roles: ['admin', 'production'] });
  await ctx.call('officers.add', { username: 'demo.registrar', displayName: 'Demo registrar', password: passwords.registrar, roles: ['registration'] });
  ctx.say('Training station: created the one-off officers "demo.registrar" (requests the card) and "demo" (produces it) for this demonstration.');
  return passwords;
}

export async function demoCommand(ctx: CliContext, flags: Flags): Promise<number> {
  const passwords = ctx.options.as ? undefined : await demoOfficers(ctx);
  const reader = typeof flags.reader === 'string' ? flags.reader : DEMO_READER;
  const card = VirtualPivCard.create();
  ctx.say(`Inserting a blank virtual PIV card (serial ${card.serial}) into "${reader}" through pcscd…`);
  const link = await attachToVpcd(card, { host: VPCD_DEFAULT_HOST, port: VPCD_DEFAULT_PORT });
  try {
    await waitForCard(() => ctx.call('readers.list', {}), reader);
    // A visitor card for a visitor needs no approver: the registrar's request, the other officer's production.
    if (passwords) await ctx.loginWith('demo.registrar', passwords.registrar);
    const person = await ctx.call('persons.add', { givenName: 'Alex', surname: 'Sample', email: 'alex.sample@example.test', employeeId: String(Date.now() % 1_000_000), affiliation: 'visitor' });
    ctx.say(`Sample person ${person.givenName} ${person.surname} (${person.id}); producing…\n`);
    if (!passwords) return await produceCommand(ctx, { ...flags, person: person.id, reader });
    const request = await ctx.call('requests.create', { personId: person.id, profile: 'visitor' });
    await ctx.loginWith('demo', passwords.admin);
    return await produceCommand(ctx, { ...flags, request: request.id, reader });
  } finally {
    await link.detach();
  }
}
