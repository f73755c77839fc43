/**
 * First run: the station has no officer yet, so the person installing it
 * creates the administrator (who then adds the other officers). The core
 * checks the username and password rules and says what is wrong.
 */
import { useState, type FormEvent } from 'react';
import { useSession } from '../../stores/stores';
import { PASSWORD_RULE } from '../../../../electron/contract/officer-rules';

export function FirstRunScreen() {
  const firstRunAdmin = useSession((s) => s.firstRunAdmin);
  const busy = useSession((s) => s.busy);
  const error = useSession((s) => s.error);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const mismatch = confirm.length > 0 && password !== confirm;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== confirm) return;
    const ok = await firstRunAdmin({ username: username.trim(), displayName: displayName.trim(), password });
    if (!ok) {
      setPassword('');
      setConfirm('');
    }
  }

  return (
    <main className="auth-screen" data-testid="first-run-screen" aria-labelledby="first-run-title">
      <form className="auth-form" onSubmit={submit}>
        <h2 id="first-run-title">Welcome: create the administrator</h2>
        <p>This station has no officer yet. The administrator you create now adds the other officers and gives them their roles.</p>
        <label>
          Username
          <input data-testid="first-run-username" required autoFocus autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          Full name
          <input data-testid="first-run-display-name" required autoComplete="off" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <p className="muted" id="password-rule">
          {PASSWORD_RULE}
        </p>
        <label>
          Password
          <input data-testid="first-run-password" type="password" required autoComplete="new-password" aria-describedby="password-rule" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label>
          Password again
          <input data-testid="first-run-password-confirm" type="password" required autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </label>
        {mismatch && (
          <p className="error" role="alert" data-testid="first-run-mismatch">
            The two passwords do not match.
          </p>
        )}
        {error && (
          <p className="error" role="alert" data-testid="first-run-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary big" data-testid="first-run-submit" disabled={busy || mismatch}>
          {busy ? 'Creating…' : 'Create the administrator'}
        </button>
      </form>
    </main>
  );
}
