/**
 * An officer's account actions on the Officers screen (issue 12 obs. 9):
 * edit the name and roles, disable or re-enable, reset the password (the
 * core generates a one-time password, shown here once). A control the
 * account rules forbid (contract/officer-rules.ts accountChangeProblem, the
 * rule the core enforces) is disabled with its reason beside it.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { accountChangeProblem, ROLES, type Role } from '../../../../electron/contract/officer-rules';
import { RoleChoices } from './RoleChoices';
import type { OfficerView } from '../../../../electron/contract/station-api';
import { useOfficers, useStores } from '../../stores/stores';

type Mode = 'idle' | 'edit' | 'reset' | 'password';

/** The actions cell of an officer's row, and the edit form / reset confirmation / one-time password under it. */
export function OfficerAccount({ officer, me, onDone }: { officer: OfficerView; me: OfficerView; onDone: (notice: string) => void }) {
  const stores = useStores();
  const list = useOfficers((s) => s.list);
  const [mode, setMode] = useState<Mode>('idle');
  const [displayName, setDisplayName] = useState(officer.displayName);
  const [roles, setRoles] = useState<Set<Role>>(new Set(officer.roles));
  const [password, setPassword] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (mode === 'password') passwordRef.current?.focus();
  }, [mode]);

  const nextStatus = officer.status === 'active' ? 'disabled' : 'active';
  const statusProblem = accountChangeProblem(me.id, officer, { status: nextStatus }, list);
  const chosen = ROLES.filter((r) => roles.has(r));
  const rolesProblem = chosen.length === 0 ? 'Choose at least one role.' : (accountChangeProblem(me.id, officer, { roles: chosen }, list)?.sentence ?? null);
  const id = officer.username;

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const ok = await stores.officers.getState().update({ officerId: officer.id, displayName: displayName.trim(), roles: chosen });
    setBusy(false);
    if (ok) {
      setMode('idle');
      onDone(`Officer ${officer.username} changed.`);
    }
  }

  async function toggleStatus() {
    setBusy(true);
    const ok = await stores.officers.getState().setStatus(officer.id, nextStatus);
    setBusy(false);
    if (ok) onDone(`Officer ${officer.username} ${nextStatus === 'disabled' ? 'disabled: their sessions ended' : 're-enabled'}.`);
  }

  async function reset() {
    setBusy(true);
    const p = await stores.officers.getState().resetPassword(officer.id);
    setBusy(false);
    if (p) {
      setPassword(p);
      setMode('password');
    } else setMode('idle');
  }

  return (
    <div className="officer-account">
      <div className="row">
        <button type="button" data-testid="officer-edit" aria-expanded={mode === 'edit'} onClick={() => setMode(mode === 'edit' ? 'idle' : 'edit')}>
          Edit…
        </button>
        <button
          type="button"
          data-testid={officer.status === 'active' ? 'officer-disable' : 'officer-enable'}
          disabled={busy || statusProblem !== null}
          aria-describedby={statusProblem ? `officer-status-blocked-${id}` : undefined}
          onClick={() => void toggleStatus()}
        >
          {officer.status === 'active' ? 'Disable' : 'Re-enable'}
        </button>
        <button type="button" data-testid="officer-reset-password" disabled={busy} onClick={() => setMode('reset')}>
          Reset password…
        </button>
      </div>
      {statusProblem && (
        <p className="muted" id={`officer-status-blocked-${id}`} data-testid="officer-status-blocked">
          {statusProblem.sentence}
        </p>
      )}
      {mode === 'edit' && (
        <form className="officer-edit" data-testid="officer-edit-form" onSubmit={save} aria-label={`Edit officer ${officer.username}`}>
          <label>
            Full name
            <input data-testid="officer-edit-display-name" required autoFocus value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          </label>
          <RoleChoices testIdPrefix="officer-edit-role-" chosen={roles} onChange={setRoles} />
          {rolesProblem && (
            <p className="muted" id={`officer-edit-problem-${id}`} data-testid="officer-edit-problem">
              {rolesProblem}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary" data-testid="officer-edit-save" disabled={busy || rolesProblem !== null} aria-describedby={rolesProblem ? `officer-edit-problem-${id}` : undefined}>
              Save
            </button>
            <button type="button" data-testid="officer-edit-cancel" onClick={() => setMode('idle')}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {mode === 'reset' && (
        <div className="confirm" role="group" aria-label={`Reset the password of ${officer.username}`} data-testid="officer-reset-confirmation">
          <p>
            {officer.displayName} gets a new password, shown once here; their old password stops working and their open sessions end.
          </p>
          <div className="row">
            <button type="button" className="primary" data-testid="officer-reset-confirm" autoFocus disabled={busy} onClick={() => void reset()}>
              Reset the password
            </button>
            <button type="button" data-testid="officer-reset-cancel" onClick={() => setMode('idle')}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {mode === 'password' && password && (
        <div className="notice" role="status" tabIndex={-1} ref={passwordRef} data-testid="officer-new-password-panel">
          <p>
            New password for {officer.username} (give it to them; it is not shown again):
          </p>
          <p className="secret" data-testid="officer-new-password">
            {password}
          </p>
          <button
            type="button"
            data-testid="officer-new-password-done"
            onClick={() => {
              setPassword(null);
              setMode('idle');
              onDone(`The password of ${officer.username} was reset.`);
            }}
          >
            I have handed it over
          </button>
        </div>
      )}
    </div>
  );
}
