/**
 * What a secret looks like in a plain environment variable: value shapes specific enough to flag on their
 * own, and variable names that say "this is a credential". Tuned for few false positives: a name alone
 * only counts when its value is a real literal (not empty, a boolean, a number, a file path or a
 * `$(VAR)` reference), and names that point at a secret (`*_FILE`, `*_PATH`, `*_NAME`, ...) do not count.
 */

/** Value shapes that are credentials whatever the variable is called. */
export const SECRET_VALUE_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, 'a private key'],
  [/(?:^|[^A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/, 'an AWS access key id'],
  [/(?:^|[^A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,}/, 'a GitHub token'],
  [/(?:^|[^A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}/, 'a GitHub fine-grained token'],
  [/(?:^|[^A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/(?:^|[^A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/(?:^|[^A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/, 'a Google API key'],
  [/(?:^|[^A-Za-z0-9])[sr]k_live_[0-9A-Za-z]{16,}/, 'a Stripe live key'],
  [/(?:^|[^A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/, 'an npm token'],
  [/AccountKey=[A-Za-z0-9+/=]{40,}/, 'an Azure storage account key'],
  [/(?:^|[^A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/, 'a JSON Web Token'],
];

/**
 * A text every shape above contains (its literal part): values without any of them, nearly all, skip the eleven
 * expressions. Keep it in step with SECRET_VALUE_SHAPES (test/rules/workload/secret-patterns.test.ts checks it).
 */
export const SECRET_SHAPE_LITERALS = /PRIVATE KEY|AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|AIza|[sr]k_live_|npm_|AccountKey=|eyJ/;

/** `scheme://user:password@host` with a literal password. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:([^\s@/]+)@/i;

/** Name words that mean the value is a credential. */
const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'CREDENTIAL', 'CREDENTIALS', 'APIKEY', 'PRIVATEKEY']);
/** Word pairs that mean the value is a key (`API_KEY`, `ACCESS_KEY`, ...). */
const SECRET_KEY_QUALIFIERS = new Set(['API', 'ACCESS', 'PRIVATE', 'SECRET', 'SIGNING', 'ENCRYPTION', 'MASTER', 'AUTH', 'CLIENT']);
/** Last words that make the variable a pointer to or a property of a secret, not the secret itself. */
const POINTER_WORDS = new Set([
  'FILE', 'PATH', 'DIR', 'NAME', 'REF', 'ID', 'ENABLED', 'DISABLED', 'ENABLE', 'REQUIRED', 'TTL', 'EXPIRY', 'EXPIRES',
  'TIMEOUT', 'LENGTH', 'SIZE', 'TYPE', 'HEADER', 'ENDPOINT', 'URL', 'URI', 'HOST', 'PORT', 'ISSUER', 'AUDIENCE',
  'SCOPE', 'SCOPES', 'LOCATION', 'VERSION', 'FORMAT', 'ALGORITHM', 'USER', 'USERNAME', 'MOUNT', 'POLICY',
  'STORE', 'BACKEND', 'PROVIDER', 'MANAGER', 'MODE', 'STRATEGY', 'SOURCE', 'NAMESPACE', 'PREFIX', 'ROUNDS',
  'COUNT', 'INTERVAL', 'PERIOD', 'METHOD', 'KIND',
]);

/** Splits `dbPassword`, `DB_PASSWORD`, `db.password` into upper-case words. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toUpperCase());
}

/** Verdicts by variable name: the same few names recur in every workload of a scan. Bounded, for hostile input. */
const nameVerdicts = new Map<string, boolean>();
const NAME_VERDICTS_MAX = 10_000;

/** True when the variable name says its value is a credential. */
export function nameLooksSecret(name: string): boolean {
  let verdict = nameVerdicts.get(name);
  if (verdict === undefined) {
    verdict = judgeName(name);
    if (nameVerdicts.size >= NAME_VERDICTS_MAX) nameVerdicts.clear();
    nameVerdicts.set(name, verdict);
  }
  return verdict;
}

function judgeName(name: string): boolean {
  const w = words(name);
  if (w.length === 0 || POINTER_WORDS.has(w[w.length - 1])) return false;
  if (w.some((word) => SECRET_WORDS.has(word))) return true;
  return w.some((word, i) => word === 'KEY' && i > 0 && SECRET_KEY_QUALIFIERS.has(w[i - 1]));
}

/** True when a value is clearly not a literal credential. */
function isInert(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (/^(?:true|false|yes|no|on|off|null|none|enabled|disabled)$/i.test(v)) return true;
  if (/^-?\d+(?:\.\d+)?$/.test(v)) return true;
  if (v.startsWith('/') || v.startsWith('file://')) return true;
  return /^(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\))+$/.test(v);
}

/** What kind of secret the variable seems to hold (never the value itself), or undefined. */
export function secretLiteralKind(name: string, value: string): string | undefined {
  if (SECRET_SHAPE_LITERALS.test(value)) {
    for (const [shape, kind] of SECRET_VALUE_SHAPES) {
      if (shape.test(value)) return kind;
    }
  }
  const url = value.includes('@') ? URL_WITH_PASSWORD.exec(value) : null;
  if (url && !isInert(url[1])) return 'a URL with an embedded password';
  if (nameLooksSecret(name) && !isInert(value)) return 'a credential (its name says so)';
  return undefined;
}
