/**
 * The print queues accepting jobs (printers.list), for choosing where a PIN mailer goes: the
 * production screen's PIN delivery and the batch screen's PIN mailers ask the same way.
 */
import { useEffect, useState } from 'react';
import { useStores } from '../../stores/stores';

/** The names of the accepting queues (empty until known or when none), and the core's refusal in words, if any. */
export function useAcceptingQueues(): { queues: string[]; error: string | null } {
  const stores = useStores();
  const [queues, setQueues] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void stores.jobs
      .getState()
      .printers()
      .then((r) => {
        if (!live) return;
        if ('error' in r) setError(r.error);
        else setQueues(r.filter((q) => q.accepting).map((q) => q.name));
      });
    return () => {
      live = false;
    };
  }, [stores]);
  return { queues, error };
}
