/**
 * Masks secrets before anything reaches a log: values of secret-looking keys anywhere in a
 * structure, and long key material inside text. `abcd…wxyz` keeps enough to tell two apart.
 */

const SECRET_WORDS = 'sign|signature|paysign|key|secret|private|password|token|ticket|authorization|api_key|api_v3_key|app_secret|client_secret|private_key|cert';
/** A key is secret-looking when one of the words is a whole `_`-separated part of it. */
const SECRET_KEY_PATTERN = new RegExp(`(^|_)(${SECRET_WORDS})($|_)`, 'i');
/** Any `key=value` pair in text. */
const TEXT_PAIR = /([?&]|^)([A-Za-z_]+)=([^&\s]*)/g;
/**
 * Only the pairs whose key is secret-looking by the pattern: masking a form body then calls back
 * for its `sign` and `sign_type`, not for each of its thirty fields.
 */
const SECRET_TEXT_PAIR = new RegExp(`([?&]|^)((?:[A-Za-z_]*_)?(?:${SECRET_WORDS})(?:_[A-Za-z_]*)?)=([^&\\s]*)`, 'gi');

export function maskValue(value: string): string {
  if (value.length <= 8) return '***';
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** Names that look secret by the pattern but only describe an algorithm or a type. */
const NOT_SECRET = new Set(['sign_type', 'signType', 'signature_type', 'key_type', 'keyType', 'token_type']);

/**
 * The pattern's answers by key name. Every log line asks about the same few dozen protocol field
 * names, and the pattern test is most of what masking a notify costs; names come from outside,
 * so the memory stops growing at a bound (later names are tested each time, just not kept).
 */
const patternAnswers = new Map<string, boolean>();
const PATTERN_ANSWERS_KEPT = 4096;

function matchesSecretPattern(key: string): boolean {
  let answer = patternAnswers.get(key);
  if (answer === undefined) {
    answer = !NOT_SECRET.has(key) && SECRET_KEY_PATTERN.test(key);
    if (patternAnswers.size < PATTERN_ANSWERS_KEPT) patternAnswers.set(key, answer);
  }
  return answer;
}

export function isSecretKey(key: string, extra: readonly string[] = []): boolean {
  if (NOT_SECRET.has(key)) return false;
  return (extra.length > 0 && extra.includes(key)) || matchesSecretPattern(key);
}

/** A deep copy of `data` with secret fields masked. */
export function maskSecrets(data: unknown, extra: readonly string[] = []): unknown {
  if (Array.isArray(data)) return data.map((item) => maskSecrets(item, extra));
  if (data && typeof data === 'object') {
    const out: Record<string, unknown> = {};
    for (const key in data) {
      if (!Object.prototype.hasOwnProperty.call(data, key)) continue;
      const value = (data as Record<string, unknown>)[key];
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
  // Each pass runs only when its marker is in the text: most logged text has no PEM block, no
  // API key and no `=`, and a notify body is logged on every notify.
  let out = text.includes('-----BEGIN ') ? text.replace(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, '-----PEM (masked)-----') : text;
  if (out.includes('sk_') || out.includes('whsec_')) out = out.replace(/\b(sk|whsec)_(test_|live_)?[A-Za-z0-9]{8,}/g, (m) => maskValue(m));
  if (!out.includes('=')) return out;
  return out.replace(extra.length > 0 ? TEXT_PAIR : SECRET_TEXT_PAIR, (m, sep: string, key: string, value: string) =>
    isSecretKey(key, extra) && value ? `${sep}${key}=${maskValue(decodeSafe(value))}` : m);
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
