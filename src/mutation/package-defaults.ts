/**
 * Where the DPoP code of known packages lives, as selectors (see
 * selectors.ts). Names rather than line numbers, so a selector keeps
 * pointing at the same code across releases, and fails loudly when the code
 * moves.
 */
export const DEFAULT_SELECTORS: Readonly<Record<string, readonly string[]>> = {
  '@modelcontextprotocol/client': [
    // DpopSession: key pair, proof claims (RFC 9449 §4.2), ath (§4.1), per-origin nonce memory (§8, §9), challenge detection.
    'dist/index.mjs#src/client/dpop.ts',
    // The fetch middleware: DPoP scheme + proof on every request (§7.1), one inline nonce retry (§9).
    'dist/index.mjs#withDpop',
    // Which tokens get the DPoP scheme (token_type, RFC 9449 §5 and §7.1).
    'dist/index.mjs#withDpopFromProvider',
    // The DPoP steps of the token request: proof, use_dpop_nonce retry, nonce memory (§5, §8); not its
    // client authentication or error parsing.
    'dist/public-*.mjs#executeTokenRequest@dpop',
  ],
};

export const DEFAULT_PACKAGE = '@modelcontextprotocol/client';
