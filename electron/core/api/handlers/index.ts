/**
 * Every StationApi handler, one table per domain of the contract
 * (electron/contract/channels/): the type makes a channel without a handler,
 * or a handler without a channel, a compile error.
 */
import type { Channel } from '../../../contract/station-api.js';
import type { HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';
import { stationHandlers } from './station.js';
import { authHandlers } from './auth.js';
import { personsHandlers } from './persons.js';
import { profilesHandlers } from './profiles.js';
import { requestsHandlers } from './requests.js';
import { productionHandlers } from './production.js';
import { batchesHandlers } from './batches.js';
import { cardsHandlers } from './cards.js';
import { auditHandlers } from './audit.js';
import { outboxHandlers } from './outbox.js';
import { kioskHandlers } from './kiosk.js';
import { physicalHandlers } from './physical.js';
import { cprHandlers } from './cpr.js';

/** The handler of every channel, over the core's services. */
export function allHandlers(services: CoreServices): HandlerTable<Channel> {
  return {
    ...stationHandlers(services),
    ...authHandlers(services),
    ...personsHandlers(services),
    ...profilesHandlers(services),
    ...requestsHandlers(services),
    ...productionHandlers(services),
    ...batchesHandlers(services),
    ...cardsHandlers(services),
    ...auditHandlers(services),
    ...outboxHandlers(services),
    ...kioskHandlers(services),
    ...physicalHandlers(services),
    ...cprHandlers(services),
  };
}
