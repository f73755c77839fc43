/**
 * Card state on disk: JSON, written atomically (temp file + rename) so a crash
 * mid-write leaves the previous state intact.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../electron/core/atomic-file.js';
import { StationError } from '../../electron/core/errors.js';
import { personality } from './personality.js';
import type { CardState } from './state.js';

/**
 * Reads a state file. A file written before personalities existed is the default personality.
 * @returns the state, or undefined when the file does not exist
 * @throws StationError INTERNAL when the file is not a card state (format 1)
 */
export function readStateFile(path: string): CardState | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new StationError('INTERNAL', 'The virtual card state file is unreadable.', { path });
  }
  const s = parsed as Partial<CardState>;
  if (s?.format !== 1 || typeof s.serial !== 'number' || !s.pin || !s.puk || !s.management || !s.objects || !s.keys) {
    throw new StationError('INTERNAL', 'The virtual card state file is not a card state.', { path });
  }
  return { ...s, personality: s.personality ?? personality() } as CardState;
}

/** Writes `json` (a serialised CardState) to `path` atomically. */
export function writeStateFile(path: string, json: string): void {
  writeFileAtomic(path, json);
}
