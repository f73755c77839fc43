/** PC/SC access for the station: reader monitor, exclusive card sessions, typed errors. */
export { PcscReaderProvider } from './provider.js';
export { PcscCardTransport, RECEIVE_BUFFER_SIZE } from './session.js';
export { PcscCode, PCSCD_NOT_RUNNING, parsePcscCode, pcscError, pcscErrorForCode } from './errors.js';
