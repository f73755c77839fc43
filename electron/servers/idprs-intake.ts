/**
 * The IDPRS's doors (the CPR endpoint, the drop folder) reach the core like
 * every face: through dispatch, on a connection of the IDPRS opened for the
 * door that authenticated it (StationCore.openIdprsConnection), so the
 * contract validates each call and only the IDPRS channels answer there.
 */
import type { CprResultView, Result } from '../contract/station-api.js';
import type { StationCore } from '../core/dispatch.js';
import { StationError } from '../core/errors.js';
import type { CprResult } from '../core/workflow/cpr-result.js';
import type { CprDoorIntake } from './cpr-server.js';

/**
 * The intake over the core's dispatch.
 * An input the contract refuses before the intake sees it is still answered
 * as a CprResult: a submission as CPR_MALFORMED (e.g. a file too large for a
 * CPR), a status or delete-request as CPR_NOT_FOUND (an id no CPR can have).
 * @throws StationError with the core's code for any other failure (the endpoint answers 500)
 */
export function idprsIntake(core: Pick<StationCore, 'dispatch' | 'openIdprsConnection'>): CprDoorIntake {
  const call = async (door: 'http' | 'folder', channel: 'cpr.submit' | 'cpr.status' | 'cpr.delete', input: unknown, idprsRequestId: string | null): Promise<CprResult> => {
    const connection = core.openIdprsConnection(door);
    let r: Result<unknown>;
    try {
      r = await core.dispatch(channel, input, connection.connectionId);
    } finally {
      connection.close();
    }
    if (r.ok) return r.value as CprResultView as CprResult;
    if (r.error.code !== 'INVALID_INPUT') throw new StationError(r.error.code, r.error.message, r.error.details, r.error.retryable);
    if (channel === 'cpr.submit') return { status: 'rejected', code: 'CPR_MALFORMED', message: r.error.message, cprId: null, idprsRequestId, requestId: null, requestState: null };
    return { status: 'rejected', code: 'CPR_NOT_FOUND', message: `There is no CPR ${idprsRequestId} at this station.`, cprId: null, idprsRequestId, requestId: null, requestState: null };
  };
  return {
    submit: (body, door) => call(door, 'cpr.submit', { envelope: Buffer.from(body).toString('base64') }, null),
    status: (id) => call('http', 'cpr.status', { idprsRequestId: id }, id),
    deleteRequest: (id) => call('http', 'cpr.delete', { idprsRequestId: id }, id),
  };
}
