/**
 * Loads @peculiar/x509 with the reflect polyfill its dependency injection
 * container (tsyringe) requires, and points it at node:crypto's WebCrypto.
 * Every module that needs X.509 imports `x509` from here, never directly.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

export { x509 };
