/**
 * Object identifiers used by the PIV certificate profiles and the CHUID signer.
 * Sources: SP 800-73-4 Part 1 §3.3 and §3.1.2.1; FPKI Common Policy; GSA ICAM test policies
 * (2.16.840.1.101.3.2.1.48.x, piv-reference §4); RFC 5280 / RFC 5652 / RFC 4556.
 */
export const Oid = {
  // PIV (SP 800-73-4 Part 1)
  PIV_CHUID_SECURITY_OBJECT: '2.16.840.1.101.3.6.1',
  /** id-PIV-biometricObject: eContentType of a biometric object's CBEFF signature block (SP 800-76-2 §9; SP 800-73-4 Part 1 §3.4). */
  PIV_BIOMETRIC_OBJECT: '2.16.840.1.101.3.6.2',
  PIV_SIGNER_DN: '2.16.840.1.101.3.6.5',
  PIV_FASCN: '2.16.840.1.101.3.6.6',
  PIV_CONTENT_SIGNING: '2.16.840.1.101.3.6.7',
  PIV_CARD_AUTH: '2.16.840.1.101.3.6.8',
  // ICAO Doc 9303 Part 10/11: eContentType of the LDS Security Object (SP 800-73-4 Part 1 §3.1.7)
  ICAO_LDS_SECURITY_OBJECT: '2.23.136.1.1.1',
  // Test certificate policies (GSA ICAM test PKI)
  POLICY_TEST_HARDWARE: '2.16.840.1.101.3.2.1.48.9',
  POLICY_TEST_AUTHENTICATION: '2.16.840.1.101.3.2.1.48.11',
  POLICY_TEST_CARD_AUTH: '2.16.840.1.101.3.2.1.48.13',
  POLICY_TEST_CONTENT_SIGNING: '2.16.840.1.101.3.2.1.48.86',
  // Extended key usages
  EKU_CLIENT_AUTH: '1.3.6.1.5.5.7.3.2',
  EKU_EMAIL_PROTECTION: '1.3.6.1.5.5.7.3.4',
  EKU_DOCUMENT_SIGNING: '1.3.6.1.5.5.7.3.36',
  EKU_MS_SMARTCARD_LOGIN: '1.3.6.1.4.1.311.20.2.2',
  EKU_PKINIT_CLIENT: '1.3.6.1.5.2.3.4',
  // Extensions (RFC 5280 §4.2)
  EXT_SUBJECT_ALT_NAME: '2.5.29.17',
  EXT_CRL_NUMBER: '2.5.29.20',
  // CMS (RFC 5652 §11)
  CMS_SIGNED_DATA: '1.2.840.113549.1.7.2',
  ATTR_CONTENT_TYPE: '1.2.840.113549.1.9.3',
  ATTR_MESSAGE_DIGEST: '1.2.840.113549.1.9.4',
  /** entryUUID (RFC 4530 §2.1): the card UUID as a signed attribute of biometric objects (SP 800-73-4 Part 1 §3.4.1). */
  ATTR_ENTRY_UUID: '1.3.6.1.1.16.4',
  // Name attributes (RFC 4519)
  AT_COMMON_NAME: '2.5.4.3',
  AT_COUNTRY: '2.5.4.6',
  AT_ORGANIZATION: '2.5.4.10',
  AT_ORGANIZATIONAL_UNIT: '2.5.4.11',
} as const;
