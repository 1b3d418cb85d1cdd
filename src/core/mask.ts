/**
 * Masks secrets before anything reaches a log: values of secret-looking keys anywhere in a
 * structure, and long key material inside text. `abcd…wxyz` keeps enough to tell two apart.
 */

const SECRET_KEY_PATTERN = /(^|_)(sign|signature|paysign|key|secret|private|password|token|ticket|authorization|api_key|api_v3_key|app_secret|client_secret|private_key|cert)($|_)/i;

export function maskValue(value: string): string {
  if (value.length <= 8) return '***';
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** Names that look secret by the pattern but only describe an algorithm or a type. */
const NOT_SECRET = new Set(['sign_type', 'signType', 'signature_type', 'key_type', 'keyType', 'token_type']);

export function isSecretKey(key: string, extra: readonly string[] = []): boolean {
  if (NOT_SECRET.has(key)) return false;
  return extra.includes(key) || SECRET_KEY_PATTERN.test(key);
}

/** A deep copy of `data` with secret fields masked. */
export function maskSecrets(data: unknown, extra: readonly string[] = []): unknown {
  if (Array.isArray(data)) return data.map((item) => maskSecrets(item, extra));
  if (data && typeof data === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) {
      out[key] = isSecretKey(key, extra) && value !== null && value !== undefined && value !== ''
        ? (typeof value === 'string' ? maskValue(value) : '***')
        : maskSecrets(value, extra);
    }
    return out;
  }
  if (typeof data === 'string') return maskText(data, extra);
  return data;
}

/** Masks PEM blocks, `key=value` pairs of secret names, and secret API keys inside text. */
export function maskText(text: string, extra: readonly string[] = []): string {
  let out = text.replace(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, '-----PEM (masked)-----');
  out = out.replace(/\b(sk|whsec)_(test_|live_)?[A-Za-z0-9]{8,}/g, (m) => maskValue(m));
  out = out.replace(/([?&]|^)([A-Za-z_]+)=([^&\s]*)/g, (m, sep: string, key: string, value: string) =>
    isSecretKey(key, extra) && value ? `${sep}${key}=${maskValue(decodeSafe(value))}` : m);
  return out;
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
