/**
 * The session lock: after inactivity the core locks the session; this
 * overlay covers the screen (which stays as it was behind it) until the same
 * officer types their password again. Another officer logs out first.
 */
import { useState, type FormEvent } from 'react';
import { useSession } from '../../stores/stores';

export function LockOverlay() {
  const officer = useSession((s) => s.officer);
  const login = useSession((s) => s.login);
  const logout = useSession((s) => s.logout);
  const busy = useSession((s) => s.busy);
  const error = useSession((s) => s.error);
  const [password, setPassword] = useState('');
  if (!officer) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    await login(officer!.username, password);
    setPassword('');
  }

  return (
    <div className="lock-overlay" data-testid="lock-overlay" role="dialog" aria-modal="true" aria-labelledby="lock-title">
      <form className="auth-form" onSubmit={submit}>
        <h2 id="lock-title">Session locked</h2>
        <p>
          The station locked your session after a time without use. Type your password to continue where you left off, {officer.displayName}.
        </p>
        <label>
          Password for {officer.username}
          <input data-testid="lock-password" type="password" required autoFocus autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert" data-testid="lock-error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" data-testid="lock-submit" disabled={busy}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
          <button type="button" data-testid="lock-logout" onClick={() => void logout()}>
            Log out (another officer)
          </button>
        </div>
      </form>
    </div>
  );
}
