/**
 * What a card showed it can do (issue 9): the retry counts production left it
 * with and every probed capability, in the contract's words
 * (electron/contract/card-capabilities.ts). Shown on the card's detail and in
 * the production result.
 */
import { capabilityLines, type CardCapabilities as Capabilities } from '../../../../electron/contract/card-capabilities';

export interface CardCapabilitiesProps {
  capabilities: Capabilities | null | undefined;
}

export function CardCapabilities({ capabilities }: CardCapabilitiesProps) {
  if (!capabilities) return <p className="muted">The station has not identified this card's capabilities.</p>;
  return (
    <dl className="card-capabilities" data-testid="card-capabilities">
      {capabilityLines(capabilities).map((line) => (
        <div key={line.label} className="capability" data-testid="card-capability" data-label={line.label}>
          <dt>{line.label}</dt>
          <dd>{line.value}</dd>
        </div>
      ))}
    </dl>
  );
}
