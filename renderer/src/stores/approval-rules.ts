/**
 * The separation-of-duties rules of approval, as the officer reads them beside
 * a disabled Approve button. The core refuses these anyway (FORBIDDEN); the UI
 * only says so before the officer tries.
 */
import type { CardRequestView, OfficerView } from '../../../electron/contract/station-api';

/**
 * Why `officer` may not approve `request`, as a sentence, or null when nothing
 * in the request itself stands in the way (the role is checked separately).
 * `requestedBy` names the requesting officer by id or username.
 */
export function approvalBlock(request: CardRequestView, officer: OfficerView | null): string | null {
  if (!officer) return 'Log in to approve requests.';
  if (request.requestedBy !== null && (request.requestedBy === officer.id || request.requestedBy === officer.username)) {
    return 'You created this request: another approver must approve it.';
  }
  if (officer.personId !== null && request.personId === officer.personId) {
    return 'This request is for your own card: another approver must approve it.';
  }
  return null;
}

/** Why `officer` may not produce the card of `request` (their own card), or null. */
export function productionBlock(request: CardRequestView, officer: OfficerView | null): string | null {
  if (officer?.personId != null && request.personId === officer.personId) {
    return 'This card is for you: another production officer must produce it.';
  }
  return null;
}
