/**
 * Officer login. The core binds the session to this window's connection; a
 * wrong username or password gets the core's one sentence (never which of the
 * two was wrong).
 */
import { useState, type FormEvent } from 'react';
import { useSession } from '../../stores/stores';

export function LoginScreen() {
  const login = useSession((s) => s.login);
  const busy = useSession((s) => s.busy);
  const error = useSession((s) => s.error);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    await login(username.trim(), password);
    // The password never outlives the attempt.
    setPassword('');
  }

  return (
    <main className="auth-screen" data-testid="login-screen" aria-labelledby="login-title">
      <form className="auth-form" onSubmit={submit}>
        <h2 id="login-title">Officer login</h2>
        <label>
          Username
          <input data-testid="login-username" required autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          Password
          <input data-testid="login-password" type="password" required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary big" data-testid="login-submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
