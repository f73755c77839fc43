/**
 * Volatile security status (SP 800-73-4 Part 1 §4.2, Part 2 §3.2): what has
 * been authenticated since the last power-up/reset. Cleared by power off/on,
 * reset and by a failed authentication of the same reference.
 */

/** A pending 9B challenge between the two GENERAL AUTHENTICATE steps. */
export type PendingManagementChallenge =
  | { kind: 'external'; challenge: Uint8Array }
  | { kind: 'mutual'; witness: Uint8Array };

export class SecurityStatus {
  /** PIN verified: satisfies "PIN" (9A, 9D, retired keys, PIN-protected objects). */
  pinVerified = false;
  /** PIN verified and not yet consumed by a "PIN Always" key (9C). */
  pinFreshForAlways = false;
  /** Card administrator (9B) authenticated. */
  managementAuthenticated = false;
  /** 9B challenge awaiting the host's answer. */
  pendingChallenge: PendingManagementChallenge | undefined;

  /** Back to power-up state. */
  clear(): void {
    this.pinVerified = false;
    this.pinFreshForAlways = false;
    this.managementAuthenticated = false;
    this.pendingChallenge = undefined;
  }

  /** Records a successful PIN verification. */
  pinAccepted(): void {
    this.pinVerified = true;
    this.pinFreshForAlways = true;
  }

  /** Drops the PIN status (failed VERIFY, VERIFY FF logout). */
  pinCleared(): void {
    this.pinVerified = false;
    this.pinFreshForAlways = false;
  }
}
