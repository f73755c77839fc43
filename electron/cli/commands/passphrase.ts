/**
 * `station passphrase change` (administrators): gives a protected data dir a
 * new passphrase and seals every secret again under it, as station.changePassphrase
 * (the core authorizes; boot/passphrase-change.ts does the work).
 * The current passphrase comes as for every command (STATION_PASSPHRASE or a
 * prompt); the new one from STATION_NEW_PASSPHRASE, or typed twice on a terminal.
 */
import { newSecret, type CliContext } from '../context.js';
import { StationError } from '../../core/errors.js';

const USAGE = 'Usage: station passphrase change --as ADMIN   (new passphrase: STATION_NEW_PASSPHRASE, or typed twice)';

/** Runs `station passphrase VERB`; returns the exit code. */
export async function passphraseCommand(ctx: CliContext, verb: string | undefined): Promise<number> {
  if (verb !== 'change') throw new StationError('INVALID_INPUT', USAGE);
  const result = await ctx.call('station.changePassphrase', { newPassphrase: await newSecret(process.env.STATION_NEW_PASSPHRASE, 'STATION_NEW_PASSPHRASE', 'station passphrase') });
  ctx.result(result, () => {
    ctx.say(`The station passphrase is changed (scrypt N=${result.kdf.N}, r=${result.kdf.r}, p=${result.kdf.p}); from now on only the new one opens this data dir.`);
    ctx.say(`Sealed again: ${result.caKeys} CA keys, ${result.escrowedPuks} escrowed PUKs, ${result.pukRotations} PUK rotations, ${result.notificationSecret} notification secret, ${result.auditKeys} audit keys.`);
  });
  return 0;
}
