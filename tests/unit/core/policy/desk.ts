/**
 * A training station for the rule book's tests: ECC keys in the mandatory
 * slots only (productions are quick), officers written to the store with a
 * cheap password hash and logged in on a connection named after each, and
 * calls made through the dispatcher as one of them.
 */
import { DEFAULT_CONFIG } from '../../../../electron/core/config/station-config.js';
import { hashPassword } from '../../../../electron/core/workflow/officers-password.js';
import type { Role } from '../../../../electron/core/workflow/types.js';
import type { Result } from '../../../../electron/contract/station-api.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';

const PASSWORD = 'rule book officer password';
export const PIN = '246810';

/** Quick card profiles: 9A and 9E, P-256, no optional objects. */
export const QUICK_PROFILES = DEFAULT_CONFIG.profiles.map((p) => ({ ...p, slots: ['9A', '9E'], objects: [], algorithms: { '9A': 'P256', '9C': 'P256', '9D': 'P256', '9E': 'P256' } }));

export interface Desk {
  t: TrainingStation;
  /** Adds an officer (logged in on the connection `username`). @returns the officer id */
  officer(username: string, roles: Role[], personId?: string | null): Promise<string>;
  /** Calls `channel` as `username`. */
  call<T = unknown>(username: string, channel: string, input: unknown): Promise<Result<T>>;
  /** The value of a call that must succeed. */
  ok<T = unknown>(username: string, channel: string, input: unknown): Promise<T>;
  /** Waits for every job the core runs. */
  idle(): Promise<void>;
  /** Puts a blank card in the reader. */
  blank(): VirtualPivCard;
  close(): Promise<void>;
}

/** Opens the desk; `config` goes into config.json (profiles default to QUICK_PROFILES). */
export async function openDesk(config: Record<string, unknown> = {}): Promise<Desk> {
  const t = await openTrainingStation({}, { config: { profiles: QUICK_PROFILES, ...config } });
  const core = t.station.core();
  const hash = await hashPassword(PASSWORD, { N: 16, r: 1, p: 1 });
  const desk: Desk = {
    t,
    async officer(username, roles, personId = null) {
      const o = t.station.store.officers.create({ username, displayName: username, passwordHash: hash, roles, personId });
      const r = await core.dispatch('auth.login', { username, password: PASSWORD }, username);
      if (!r.ok) throw new Error(`login ${username}: ${r.error.code}`);
      return o.id;
    },
    call: (username, channel, input) => core.dispatch(channel, input, username) as never,
    async ok(username, channel, input) {
      const r = await core.dispatch(channel, input, username);
      if (!r.ok) throw new Error(`${username} ${channel}: ${r.error.code} ${r.error.message}`);
      return r.value as never;
    },
    idle: () => core.idle(),
    blank() {
      const card = VirtualPivCard.create();
      t.reader.insert(card);
      return card;
    },
    close: () => t.close(),
  };
  return desk;
}
