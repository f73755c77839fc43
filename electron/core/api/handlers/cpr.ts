/**
 * StationApi handlers, CPR intake (electron/core/workflow/cpr-intake.ts holds
 * its rules). The IDPRS's own connections (endpoint, drop folder) are audited
 * as 'idprs' with their door; an officer's call is audited with the officer's
 * name and the door 'officer', so nobody acts as the IDPRS anonymously.
 */
import type { cprChannels } from '../../../contract/channels/cpr.js';
import { StationError } from '../../errors.js';
import { actorOf } from '../../workflow/authorization.js';
import type { CprChannel, CprIntake } from '../../workflow/cpr-intake.js';
import type { Caller } from '../../workflow/types.js';
import type { HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

export function cprHandlers({ ports }: CoreServices): HandlerTable<keyof typeof cprChannels> {
  /** The intake as this caller uses it, and the door to audit. */
  const intakeFor = (caller: Caller): { intake: CprIntake; door: CprChannel } => {
    if (!ports.cprIntake) throw new StationError('UNSUPPORTED', 'CPR intake is not available on this station.');
    return { intake: ports.cprIntake(actorOf(caller)), door: caller.kind === 'idprs' ? (caller.door ?? 'http') : 'officer' };
  };
  return {
    'cpr.submit': async ({ envelope }, { caller }) => {
      const { intake, door } = intakeFor(caller);
      return intake.submit(new Uint8Array(Buffer.from(envelope, 'base64')), door);
    },
    'cpr.status': async ({ idprsRequestId }, { caller }) => intakeFor(caller).intake.status(idprsRequestId),
    'cpr.delete': async ({ idprsRequestId }, { caller }) => intakeFor(caller).intake.deleteRequest(idprsRequestId),
  };
}
