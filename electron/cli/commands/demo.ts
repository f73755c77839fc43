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
 * On a new training station with no officer yet, the demo creates a one-off
 * first officer (administrator, registration and production roles) with a
 * random password it never shows, logged in on this run (auth.firstRunAdmin).
 * A station with officers needs `--as` like every other command.
 */
async function demoOfficer(ctx: CliContext): Promise<void> {
  const [{ training }, { firstRun }] = [await ctx.call('station.info', {}), await ctx.call('auth.status', {})];
  if (!training || !firstRun) {
    throw new StationError('NOT_AUTHENTICATED', 'This station has officers: run the demo with --as USERNAME (password from STATION_PASSWORD).');
  }
  const password = randomBytes(24).toString('base64url');
  await ctx.call('auth.firstRunAdmin', { username: 'demo', displayName: 'Demo officer', password, roles: ['admin', 'registration', 'production'] });
  ctx.say('Training station: created the one-off officer "demo" for this demonstration.');
}

export async function demoCommand(ctx: CliContext, flags: Flags): Promise<number> {
  if (!ctx.options.as) await demoOfficer(ctx);
  const reader = typeof flags.reader === 'string' ? flags.reader : DEMO_READER;
  const card = VirtualPivCard.create();
  ctx.say(`Inserting a blank virtual PIV card (serial ${card.serial}) into "${reader}" through pcscd…`);
  const link = await attachToVpcd(card, { host: VPCD_DEFAULT_HOST, port: VPCD_DEFAULT_PORT });
  try {
    await waitForCard(() => ctx.call('readers.list', {}), reader);
    // visitor: no approval needed for a one-officer demo
    const person = await ctx.call('persons.add', { givenName: 'Alex', surname: 'Sample', email: 'alex.sample@example.test', employeeId: String(Date.now() % 1_000_000), affiliation: 'visitor' });
    ctx.say(`Sample person ${person.givenName} ${person.surname} (${person.id}); producing…\n`);
    return await produceCommand(ctx, { ...flags, person: person.id, reader });
  } finally {
    await link.detach();
  }
}
