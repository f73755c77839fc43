/**
 * Produce a card: the production officer's one task, whichever way the card
 * comes: an approved request (the usual way), or, for officers whose roles
 * and the station's policy allow it, issued directly without a request
 * (profiles that need no approval). One menu entry leads here (issue 12
 * obs. 8); the choice says how many approved requests wait.
 */
import { useState } from 'react';
import { useRequests } from '../../stores/stores';
import { ProduceRequestScreen } from '../requests/ProduceRequestScreen';
import { IssueFlow } from '../issue/IssueFlow';

export interface ProduceCardScreenProps {
  /** Opens the production screen of the job just started. */
  onJobStarted(jobId: string): void;
  /** The officer may produce approved requests (requests.produce). */
  fromRequest: boolean;
  /** The officer may issue directly (production.start). */
  direct: boolean;
}

type Way = 'request' | 'direct';

export function ProduceCardScreen({ onJobStarted, fromRequest, direct }: ProduceCardScreenProps) {
  const approved = useRequests((s) => s.approved);
  const [way, setWay] = useState<Way>(fromRequest ? 'request' : 'direct');
  const shown: Way = way === 'request' && fromRequest ? 'request' : direct ? 'direct' : 'request';
  return (
    <div className="produce-card-screen" data-testid="produce-card-screen">
      {fromRequest && direct && (
        <div className="row filters" role="group" aria-label="How the card is produced">
          <button type="button" data-testid="produce-way-request" aria-pressed={shown === 'request'} className={shown === 'request' ? 'active' : ''} onClick={() => setWay('request')}>
            Approved requests ({approved.length})
          </button>
          <button type="button" data-testid="produce-way-direct" aria-pressed={shown === 'direct'} className={shown === 'direct' ? 'active' : ''} onClick={() => setWay('direct')}>
            Without a request
          </button>
        </div>
      )}
      {shown === 'request' ? <ProduceRequestScreen onJobStarted={onJobStarted} /> : <IssueFlow onJobStarted={onJobStarted} />}
    </div>
  );
}
