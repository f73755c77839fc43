/**
 * Turns one incoming WebSocket frame into a dispatch call and its answer.
 * Anything malformed becomes an INVALID_INPUT Result (when the frame carries a
 * usable id) or is dropped (when it does not): a frame never throws out of here.
 * Inputs are never logged or echoed: they may hold a PIN.
 */
import type { Result } from '../contract/station-api.js';
import { errorResult, isRequestId, type BridgeResponse } from './protocol.js';

/** The core's dispatch, as the bridge server calls it (electron/core/dispatch.ts StationCore.dispatch). */
export type Dispatch = (channel: string, raw: unknown, connectionId: string) => Promise<Result<unknown>>;

/** Longest channel name accepted before dispatch sees it (contract names are short). */
const MAX_CHANNEL_LENGTH = 64;

/** Parsed frame: a call to run, a malformed frame to answer, or nothing to answer. */
export type ParsedFrame =
  | { kind: 'call'; id: number; channel: string; input: unknown }
  | { kind: 'invalid'; id: number }
  | { kind: 'drop' };

/**
 * Parses a text frame `{ id, channel, input }`.
 * Binary frames, non-JSON, non-objects and frames without a usable id are dropped.
 */
export function parseFrame(data: string | Buffer, isBinary: boolean): ParsedFrame {
  if (isBinary) return { kind: 'drop' };
  let msg: unknown;
  try {
    msg = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return { kind: 'drop' };
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { kind: 'drop' };
  const { id, channel, input } = msg as Record<string, unknown>;
  if (!isRequestId(id)) return { kind: 'drop' };
  const keys = Object.keys(msg);
  const onlyKnownKeys = keys.every((k) => k === 'id' || k === 'channel' || k === 'input');
  if (!onlyKnownKeys || typeof channel !== 'string' || channel.length === 0 || channel.length > MAX_CHANNEL_LENGTH) return { kind: 'invalid', id };
  return { kind: 'call', id, channel, input };
}

/**
 * Answers one frame: dispatches a call (dispatch never throws; a throw would be
 * a core bug and still becomes an INTERNAL Result), or describes a bad frame.
 * @param connectionId the WebSocket connection's id: the officer session is bound to it
 * @returns the response to send, or undefined for a dropped frame
 */
export async function answerFrame(dispatch: Dispatch, frame: ParsedFrame, connectionId: string): Promise<BridgeResponse | undefined> {
  switch (frame.kind) {
    case 'drop':
      return undefined;
    case 'invalid':
      return { id: frame.id, result: errorResult('INVALID_INPUT', 'The request was not understood.') };
    case 'call':
      try {
        return { id: frame.id, result: await dispatch(frame.channel, frame.input, connectionId) };
      } catch {
        return { id: frame.id, result: errorResult('INTERNAL', 'The station failed to answer the request.') };
      }
  }
}
