/**
 * The self-service kiosk face (issue 4): all a kiosk window shows. A welcome
 * with the identification form (employee id + e-mail address), then the
 * person's name and the card they may request, then the receipt with the
 * request number ("an approver will review it"), and back to the welcome
 * after a short time. No navigation: the only way out is an officer's login
 * (the core ends kiosk mode on it). The core decides everything; this face
 * only carries the person's words to it.
 */
import { requestNumberText } from '../../../../electron/contract/request-number';
import { useEffect, useState, type FormEvent } from 'react';
import { useKiosk, useSession, useStores } from '../../stores/stores';
import { LoginScreen } from '../auth/LoginScreen';

/** How long the receipt stays before the kiosk goes back to the welcome (ms). */
export const RECEIPT_MS = 20_000;

/** The whole kiosk window: welcome → identified person → receipt, and the officer login that leaves kiosk mode. */
export function KioskScreen() {
  const person = useKiosk((s) => s.person);
  const receipt = useKiosk((s) => s.receipt);
  const [officerLogin, setOfficerLogin] = useState(false);

  if (officerLogin) {
    return (
      <div className="kiosk-officer-login">
        <LoginScreen />
        <p className="content">
          <button type="button" data-testid="kiosk-officer-back" onClick={() => setOfficerLogin(false)}>
            Back to the kiosk
          </button>
        </p>
      </div>
    );
  }

  return (
    <main className="kiosk-screen content" data-testid="kiosk-screen" aria-labelledby="kiosk-title">
      <h2 id="kiosk-title">Self-service: request your PIV card</h2>
      {receipt ? <KioskReceipt /> : person ? <KioskRequest /> : <KioskIdentify />}
      <p className="kiosk-footer muted">
        <button type="button" className="link" data-testid="kiosk-officer-login" onClick={() => setOfficerLogin(true)}>
          Officer login
        </button>
      </p>
    </main>
  );
}

/** The welcome: identification by employee id and e-mail address. */
function KioskIdentify() {
  const identify = useKiosk((s) => s.identify);
  const busy = useKiosk((s) => s.busy);
  const error = useKiosk((s) => s.error);
  const idleSeconds = useKiosk((s) => s.idleSeconds);
  const [employeeId, setEmployeeId] = useState('');
  const [email, setEmail] = useState('');

  // Half-typed details left behind are cleared for the next person.
  useEffect(() => {
    if (!employeeId && !email) return;
    const timer = setTimeout(() => {
      setEmployeeId('');
      setEmail('');
    }, idleSeconds * 1000);
    return () => clearTimeout(timer);
  }, [employeeId, email, idleSeconds]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await identify(employeeId.trim(), email.trim())) {
      setEmployeeId('');
      setEmail('');
    }
  }

  return (
    <form className="kiosk-identify" data-testid="kiosk-welcome" onSubmit={submit}>
      <p>Welcome. Enter your employee id and your e-mail address as your organization has them on record.</p>
      <label>
        Employee id
        <input data-testid="kiosk-employee-id" required autoComplete="off" value={employeeId} onChange={(e) => setEmployeeId(e.target.value)} />
      </label>
      <label>
        E-mail address
        <input data-testid="kiosk-email" type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      {error && (
        <p className="error" role="alert" data-testid="kiosk-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary big" data-testid="kiosk-identify" disabled={busy}>
        {busy ? 'Checking…' : 'Continue'}
      </button>
    </form>
  );
}

/** The identified person: the card they may request, or start over. */
function KioskRequest() {
  const stores = useStores();
  const person = useKiosk((s) => s.person)!;
  const idleSeconds = useKiosk((s) => s.idleSeconds);
  const busy = useKiosk((s) => s.busy);
  const error = useKiosk((s) => s.error);
  const request = useKiosk((s) => s.request);

  // Walked away: the next person must not find this one's session.
  useEffect(() => {
    const timer = setTimeout(() => void stores.kiosk.getState().reset(), idleSeconds * 1000);
    return () => clearTimeout(timer);
  }, [stores, idleSeconds, person]);

  return (
    <section className="kiosk-request" data-testid="kiosk-person" data-display-name={person.displayName}>
      <p>
        Hello <strong>{person.displayName}</strong>.
      </p>
      {person.profiles.map((p) => (
        <button key={p.id} type="button" className="primary big" data-testid="kiosk-request" data-profile={p.id} disabled={busy} onClick={() => void request(p.id)}>
          {busy ? 'Requesting…' : `Request my card: ${p.label}`}
        </button>
      ))}
      {error && (
        <p className="error" role="alert" data-testid="kiosk-error">
          {error}
        </p>
      )}
      <button type="button" data-testid="kiosk-cancel" onClick={() => void stores.kiosk.getState().reset()}>
        This is not me / start over
      </button>
    </section>
  );
}

/** The receipt: the request number and what happens next; back to the welcome after RECEIPT_MS. */
function KioskReceipt() {
  const stores = useStores();
  const receipt = useKiosk((s) => s.receipt)!;
  useEffect(() => {
    const timer = setTimeout(() => void stores.kiosk.getState().reset(), RECEIPT_MS);
    return () => clearTimeout(timer);
  }, [stores, receipt]);
  return (
    <section className="kiosk-receipt" data-testid="kiosk-confirmation" data-request-id={receipt.requestId} role="status">
      <p>
        Your card request is registered. Its number is <strong data-testid="kiosk-request-number">{requestNumberText(receipt.requestNumber)}</strong>.
      </p>
      <p>An approver will review it; you will be told when your card is ready to collect.</p>
      {receipt.photo ? (
        <p>
          Your card will carry this photo: <img data-testid="kiosk-photo" src={`data:image/jpeg;base64,${receipt.photo}`} width={90} height={120} alt="Your photo on record" />
        </p>
      ) : (
        <p data-testid="kiosk-photo-missing">There is no photo of you on record yet: the desk will take one when you collect your card.</p>
      )}
      <button type="button" className="primary" data-testid="kiosk-done" onClick={() => void stores.kiosk.getState().reset()}>
        Done
      </button>
    </section>
  );
}

/** The officer's "Kiosk mode" action: asks for confirmation, then turns this window into a kiosk. */
export function KioskModeButton() {
  const stores = useStores();
  const [confirming, setConfirming] = useState(false);
  const error = useKiosk((s) => s.error);
  const officer = useSession((s) => s.officer);

  async function start() {
    // The core ends the officer's session on this window; the kiosk face follows.
    if (await stores.kiosk.getState().start()) stores.session.getState().markLoggedOut();
    setConfirming(false);
  }

  if (!confirming) {
    return (
      <button type="button" data-testid="kiosk-start" onClick={() => setConfirming(true)}>
        Kiosk mode
      </button>
    );
  }
  return (
    <span className="kiosk-start-confirm" role="alertdialog" aria-label="Start kiosk mode">
      <span>
        Turn this window into a self-service kiosk? {officer?.displayName ?? 'You'} will be logged out; an officer must log in to leave kiosk mode.
      </span>
      <button type="button" className="primary" data-testid="kiosk-start-confirm" onClick={() => void start()}>
        Start kiosk mode
      </button>
      <button type="button" data-testid="kiosk-start-cancel" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {error && (
        <span className="error" role="alert" data-testid="kiosk-start-error">
          {error}
        </span>
      )}
    </span>
  );
}
