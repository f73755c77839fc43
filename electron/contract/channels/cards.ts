/**
 * StationApi, the card lifecycle: cards and their certificates, revoke,
 * suspend, resume, activate, PIN unlock, reissue, recycle, and the published CRL.
 */
import { z } from 'zod';
import { CardCapabilitiesShape } from '../card-capabilities.js';
import { Id, Pin, ReaderName } from './fields.js';

export const CardStatusShape = z.enum(['approved', 'in_production', 'production_failed', 'produced', 'cancelled', 'active', 'suspended', 'revoked', 'expired']);
/** Why an officer terminates a card (electron/core/lifecycle/reasons.ts maps each to its RFC 5280 CRL reason). */
export const TerminationReasonShape = z.enum(['lost', 'stolen', 'damaged', 'left', 'key-compromise']);
/** A card as the lifecycle screens show it (electron/core/lifecycle/service.ts CardView). */
export const CardViewShape = z.object({
  id: z.string(),
  personId: z.string(),
  personName: z.string(),
  status: CardStatusShape,
  cardNumber: z.string().nullable(),
  credentialNumber: z.string(),
  /** The card profile id; a replacement follows its PIN policy. */
  profile: z.string(),
  /** CHUID GUID as a UUID. */
  guid: z.string(),
  fascn: z.string(),
  expirationDate: z.string(),
  chipSerial: z.number().nullable(),
  /** Why the officer terminated the card, as chosen (null unless terminated; absent from older stations). */
  terminationReason: TerminationReasonShape.nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CardView = z.infer<typeof CardViewShape>;
export const CardDetailShape = CardViewShape.extend({
  certificates: z.array(z.object({ slot: z.string(), serial: z.string(), status: z.string(), revocationReason: z.string().nullable(), notAfter: z.string() })),
  requestId: z.string().nullable(),
  /** What the card showed it can do when production identified it, and its retry counts; null before. */
  capabilities: CardCapabilitiesShape.nullable(),
});
export type CardDetailView = z.infer<typeof CardDetailShape>;
/** A card named by its id, 8-digit card number or CHUID GUID. */
const CardRef = z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'Name the card by its id, card number or GUID.');
/** The published CRL: DER (base64) and what it says. */
export const CrlShape = z.object({
  der: z.string(),
  crlNumber: z.number().nullable(),
  issuer: z.string(),
  thisUpdate: z.string(),
  nextUpdate: z.string().nullable(),
  entries: z.array(z.object({ serial: z.string(), reason: z.string(), revokedAt: z.string() })),
  /** Where relying parties fetch it: the URL certificates carry as their CRL distribution point. */
  distributionPoint: z.string().optional(),
});
export type CrlViewShape = z.infer<typeof CrlShape>;

export const cardsChannels = {
  'cards.list': { input: z.object({ status: z.array(CardStatusShape).optional(), personId: Id.optional() }).strict(), output: z.array(CardViewShape) },
  'cards.get': { input: z.object({ card: CardRef }).strict(), output: CardDetailShape },
  /** Terminates a card (card absent is fine): certificates revoked with the reason's CRL code. */
  'cards.revoke': { input: z.object({ card: CardRef, reason: TerminationReasonShape }).strict(), output: CardDetailShape },
  'cards.suspend': { input: z.object({ card: CardRef }).strict(), output: CardDetailShape },
  'cards.resume': { input: z.object({ card: CardRef }).strict(), output: CardDetailShape },
  /** The cardholder collects the card: the PIN is verified on the card in the reader. `card` (desk operations): the card chosen on screen; another card in the reader is refused (CARD_MISMATCH). */
  'cards.activate': { input: z.object({ readerName: ReaderName, pin: Pin, card: CardRef.optional() }).strict(), output: CardDetailShape },
  /** PIN unlock at the desk with the escrowed PUK; the PUK is rotated and escrowed again. */
  'cards.unlock': { input: z.object({ readerName: ReaderName, newPin: Pin, card: CardRef.optional() }).strict(), output: CardDetailShape },
  /** Revokes a lost/stolen/damaged card and starts the replacement's production on the blank card in the reader. */
  'cards.reissue': {
    input: z.object({ card: CardRef, reason: z.enum(['lost', 'stolen', 'damaged']), readerName: ReaderName, pin: Pin.optional() }).strict(),
    output: z.object({ replacedCardId: z.string(), cardId: z.string(), jobId: z.string(), requestId: z.string() }),
  },
  /** A returned card: certificates revoked, reset to factory state (a blank again). */
  'cards.recycle': { input: z.object({ readerName: ReaderName, card: CardRef.optional() }).strict(), output: CardDetailShape },
  'crl.get': { input: z.object({}).strict(), output: CrlShape },
} as const;
