/**
 * Distinguished names built attribute by attribute (no string parsing, so a
 * holder name with a comma or a plus sign cannot change the structure).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { x509 } from './x509-setup.js';
import { Oid } from './oids.js';

/** One RDN: C is a PrintableString (RFC 5280 App. A), the others UTF8String. */
export type NamePart = ['C' | 'O' | 'OU' | 'CN', string];

const ATTR_OID: Record<NamePart[0], string> = {
  C: Oid.AT_COUNTRY,
  O: Oid.AT_ORGANIZATION,
  OU: Oid.AT_ORGANIZATIONAL_UNIT,
  CN: Oid.AT_COMMON_NAME,
};

/**
 * Builds a Name from RDNs given in DER order (most significant first: C, O, OU, CN).
 * @returns the @peculiar/x509 Name (for certificate generation)
 */
export function buildName(parts: NamePart[]): InstanceType<typeof x509.Name> {
  const name = new Name(
    parts.map(
      ([attr, value]) =>
        new RelativeDistinguishedName([
          new AttributeTypeAndValue({
            type: ATTR_OID[attr],
            value: new AttributeValue(attr === 'C' ? { printableString: value } : { utf8String: value }),
          }),
        ]),
    ),
  );
  return new x509.Name(AsnConvert.serialize(name));
}
