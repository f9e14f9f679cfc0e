/** Published RFC 9449 test vectors shared by the helper tests. */

/** RFC 9449 §4.1/§4.2: the EC P-256 public key of the example proofs. */
export const RFC9449_KEY = {
  kty: 'EC',
  x: 'l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs',
  y: '9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA',
  crv: 'P-256',
};

/** RFC 9449 §6.1: the RFC 7638 thumbprint of that key. */
export const RFC9449_JKT = '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I';
