/**
 * What a StationApi handler receives besides its validated input: the
 * connection the call came on (officer sessions and kiosks are bound to it)
 * and the authorized caller. The dispatch door (../dispatch.ts) builds it.
 */
import type { z } from 'zod';
import type { Channel, ChannelOutput, channels } from '../../contract/station-api.js';
import { StationError } from '../errors.js';
import type { Caller, Officer } from '../workflow/types.js';

/** Who is calling a handler. */
export interface CallContext {
  connectionId: string;
  /** The logged-in officer for every non-public channel; anonymous for public ones; the kiosk on kiosk channels. */
  caller: Caller;
}

/** The handler of one channel: validated input in, the channel's output out (validated again by the door). */
export type ChannelHandler<C extends Channel> = (input: z.infer<(typeof channels)[C]['input']>, ctx: CallContext) => Promise<ChannelOutput<C>>;

/** Handlers for a set of channels (one domain of the contract). */
export type HandlerTable<K extends Channel> = { [C in K]: ChannelHandler<C> };

/**
 * The officer of an authorized call (non-public channels always have one).
 * @throws StationError NOT_AUTHENTICATED when the caller is not an officer
 */
export function officerOf(ctx: CallContext): Officer {
  if (ctx.caller.kind !== 'officer') throw new StationError('NOT_AUTHENTICATED', 'Log in as an officer first.');
  return ctx.caller.officer;
}
