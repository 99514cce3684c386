/**
 * TLS cipher suites the CIS Kubernetes Benchmark accepts for the kubelet (4.2.12) and the API server
 * (1.2.29): ECDHE key exchange with AEAD ciphers only. The enum is the whole choice: a suite outside it
 * cannot be configured through the library.
 */
export enum TlsCipherSuite {
  ECDHE_ECDSA_AES_128_GCM_SHA256 = 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  ECDHE_RSA_AES_128_GCM_SHA256 = 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  ECDHE_ECDSA_CHACHA20_POLY1305 = 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  ECDHE_RSA_AES_256_GCM_SHA384 = 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  ECDHE_RSA_CHACHA20_POLY1305 = 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  ECDHE_ECDSA_AES_256_GCM_SHA384 = 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
}

/** Every strong suite, in a stable order. */
export const STRONG_CIPHER_SUITES: readonly TlsCipherSuite[] = Object.values(TlsCipherSuite);

/** The suites to configure: the given ones (validated, deduplicated) or all strong suites. */
export function resolveCipherSuites(path: string, suites: readonly TlsCipherSuite[] | undefined): TlsCipherSuite[] {
  if (suites === undefined) return [...STRONG_CIPHER_SUITES];
  if (suites.length === 0) throw new Error(`${path}: tlsCipherSuites is empty; omit it to use every strong suite`);
  for (const s of suites) {
    if (!STRONG_CIPHER_SUITES.includes(s)) {
      throw new Error(`${path}: TLS cipher suite "${String(s)}" is not one of the strong suites (CIS 1.2.29 / 4.2.12): ${STRONG_CIPHER_SUITES.join(', ')}`);
    }
  }
  return [...new Set(suites)];
}

/** Minimum TLS version written next to the suites. */
export const TLS_MIN_VERSION = 'VersionTLS12';
