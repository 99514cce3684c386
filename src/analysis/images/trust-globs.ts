/**
 * Which images an admission-time signature verifier checks: the image globs of sigstore policy-controller
 * `ClusterImagePolicy` objects and the image references of Kyverno `ImageValidatingPolicy` objects, matched
 * the way each verifier matches them. Pure: plain objects in, plain data out (no cdk8s), so the checker, the
 * CLI and the constructs share it.
 *
 * sigstore policy-controller (`spec.images[].glob`):
 * - the glob matches the whole reference; `*` matches within a path segment (no `/`), `**` matches across
 *   segments; `.` is literal; only letters, digits, `-`, `_`, `:`, `/`, `*` and `.` are allowed;
 * - the image is first normalised the way go-containerregistry names it: Docker Hub is `index.docker.io`,
 *   one-segment Docker Hub paths get `library/`, a missing tag is `:latest`, and a reference with a digest
 *   is named `registry/repository@digest` (its tag dropped). So `ghcr.io/org/*` covers
 *   `ghcr.io/org/app:1.2` and `ghcr.io/org/app@sha256:…` (the tag and digest are in the last segment);
 * - the bare globs `*` and `*\/*` are read as `index.docker.io/library/*` and `index.docker.io/*\/*`;
 * - when the normalised name does not match, the reference as written is tried too (a deprecated fallback
 *   the controller still has, so a glob `nginx` covers the image `nginx`).
 *
 * Kyverno (`spec.matchImageReferences[].glob`, gobwas/glob without separators): matched against the image
 * string exactly as written in the pod; `*` (and `**`) matches any run of characters including `/`, `?` one
 * character, `[abc]`, `[a-z]`, `[!abc]` a character class, `{a,b}` alternatives, `\` escapes. A policy with
 * no `matchImageReferences` checks every image; CEL `expression` matchers cannot be decided statically and
 * cover nothing here (an image they would cover is reported as uncovered: loud, never a silent pass).
 */
import { repositoryPatternRegExp } from './image-policy';
import { tryParseImageReference } from './image-reference';

/** One image glob of a signature-verification policy. */
export interface TrustGlob {
  /** The glob as written in the policy. */
  readonly glob: string;
  /** The policy that holds it, `Kind/name` (`ClusterImagePolicy/signed-images`). */
  readonly policy: string;
  /** Which admission verifier reads the policy, and so how the glob matches. */
  readonly verifier: 'sigstore' | 'kyverno';
  /** Whether a failed verification rejects the pod (`enforce`) or only warns or audits (`warn`). */
  readonly mode: 'enforce' | 'warn';
}

export const SIGSTORE_GROUP = 'policy.sigstore.dev';
export const SIGSTORE_KIND = 'ClusterImagePolicy';
export const KYVERNO_GROUP = 'policies.kyverno.io';
export const KYVERNO_KIND = 'ImageValidatingPolicy';
/** API versions of each kind whose image matching is read (all have the same fields for it). */
const SIGSTORE_VERSIONS = ['v1alpha1', 'v1beta1'];
const KYVERNO_VERSIONS = ['v1alpha1', 'v1beta1', 'v1'];

/** Stands for "every image" for a Kyverno policy without `matchImageReferences` (gobwas `*` matches all). */
export const KYVERNO_MATCH_ALL = '*';

const SIGSTORE_GLOB_CHARACTERS = /^[a-zA-Z0-9\-_:/*.]+$/;
const SIGSTORE_DEFAULT_REGISTRY = 'index.docker.io';

/** True when `object` is a ClusterImagePolicy of a version whose globs are read. */
export function isClusterImagePolicy(object: unknown): object is Record<string, unknown> {
  return isKind(object, SIGSTORE_GROUP, SIGSTORE_VERSIONS, SIGSTORE_KIND);
}

/** True when `object` is a Kyverno ImageValidatingPolicy of a version whose image references are read. */
export function isImageValidatingPolicy(object: unknown): object is Record<string, unknown> {
  return isKind(object, KYVERNO_GROUP, KYVERNO_VERSIONS, KYVERNO_KIND);
}

/** True when the set holds a signature-verification policy of either verifier. */
export function hasTrustPolicy(objects: readonly unknown[]): boolean {
  return objects.some((o) => isClusterImagePolicy(o) || isImageValidatingPolicy(o));
}

/**
 * The image globs of every ClusterImagePolicy and ImageValidatingPolicy in `objects`, in object order.
 * Other objects, and entries that hold no glob (a sigstore `regex`, a Kyverno CEL `expression`), are skipped.
 */
export function trustGlobsOf(objects: readonly unknown[]): TrustGlob[] {
  const globs: TrustGlob[] = [];
  for (const object of objects) {
    if (isClusterImagePolicy(object)) {
      const spec = record(object.spec);
      const policy = `${SIGSTORE_KIND}/${nameOf(object)}`;
      // policy-controller's default mode is enforce; anything else it reads as a warning.
      const mode = spec.mode === undefined || spec.mode === 'enforce' ? 'enforce' : 'warn';
      for (const image of array(spec.images)) {
        const glob = record(image).glob;
        if (typeof glob === 'string' && glob !== '') globs.push({ glob, policy, verifier: 'sigstore', mode });
      }
    } else if (isImageValidatingPolicy(object)) {
      const spec = record(object.spec);
      const policy = `${KYVERNO_KIND}/${nameOf(object)}`;
      // Only Deny rejects the request; Warn and Audit let an unverified image run.
      const mode = array(spec.validationActions).includes('Deny') ? 'enforce' : 'warn';
      const references = array(spec.matchImageReferences);
      if (references.length === 0) globs.push({ glob: KYVERNO_MATCH_ALL, policy, verifier: 'kyverno', mode });
      for (const reference of references) {
        const glob = record(reference).glob;
        if (typeof glob === 'string' && glob !== '') globs.push({ glob, policy, verifier: 'kyverno', mode });
      }
    }
  }
  return globs;
}

/** The first glob that covers `image` (as written in a pod spec), or undefined when none does. */
export function coveringGlob(image: string, globs: readonly TrustGlob[]): TrustGlob | undefined {
  return globs.find((g) => globMatches(g.glob, g.verifier, image));
}

/** Why `glob` is not a valid glob for `verifier`, or undefined when it is. */
export function trustGlobError(glob: string, verifier: TrustGlob['verifier']): string | undefined {
  if (glob === '') return 'the glob is empty';
  if (verifier === 'sigstore') {
    return SIGSTORE_GLOB_CHARACTERS.test(expandSigstoreShorthand(glob))
      ? undefined
      : `sigstore glob "${glob}" may only hold letters, digits, "-", "_", ":", "/", "*" and "."`;
  }
  const result = compileGobwas(glob);
  return typeof result === 'string' ? `Kyverno glob "${glob}" is not valid: ${result}` : undefined;
}

/** Whether `glob`, read by `verifier`, matches the pod image `image`. An invalid glob matches nothing. */
export function globMatches(glob: string, verifier: TrustGlob['verifier'], image: string): boolean {
  const pattern = compiled(glob, verifier);
  if (verifier === 'kyverno') return pattern !== undefined && pattern.test(image);
  if (pattern === undefined) return false;
  const name = sigstoreName(image);
  // policy-controller refuses references it cannot parse; they match no glob.
  if (name === undefined) return false;
  return pattern.test(name) || (name !== image && pattern.test(image));
}

/**
 * The name policy-controller matches globs against (go-containerregistry's `Reference.Name()`):
 * `index.docker.io/library/nginx:latest`, `ghcr.io/org/app@sha256:…`. Undefined for an invalid reference.
 */
export function sigstoreName(image: string): string | undefined {
  const parsed = tryParseImageReference(image);
  if (!parsed.ok) return undefined;
  const { reference } = parsed;
  // The registry keeps the case it was written in; only the Docker Hub alias is rewritten.
  const written = writtenRegistry(image);
  const registry = written === undefined || written === 'docker.io' ? SIGSTORE_DEFAULT_REGISTRY : written;
  let path = image.split('@')[0];
  if (path.lastIndexOf(':') > path.lastIndexOf('/')) path = path.slice(0, path.lastIndexOf(':'));
  if (written !== undefined) path = path.slice(written.length + 1);
  const repository = registry === SIGSTORE_DEFAULT_REGISTRY && !path.includes('/') ? `library/${path}` : path;
  const base = `${registry}/${repository}`;
  if (reference.digest !== undefined) return `${base}@${reference.digest}`;
  return `${base}:${reference.tag ?? 'latest'}`;
}

/** Compiled globs, so judging 10,000 pods compiles each glob once (null: invalid). */
const compiledGlobs = new Map<string, RegExp | null>();

function compiled(glob: string, verifier: TrustGlob['verifier']): RegExp | undefined {
  const key = `${verifier}\u0000${glob}`;
  let pattern = compiledGlobs.get(key);
  if (pattern === undefined) {
    const result = verifier === 'kyverno' ? compileGobwas(glob) : compileSigstore(glob);
    pattern = result instanceof RegExp ? result : null;
    // Policies are small; the bound only guards a long-lived process that sees many different policies.
    if (compiledGlobs.size > 1000) compiledGlobs.clear();
    compiledGlobs.set(key, pattern);
  }
  return pattern ?? undefined;
}

function expandSigstoreShorthand(glob: string): string {
  if (glob === '*/*') return `${SIGSTORE_DEFAULT_REGISTRY}/*/*`;
  if (glob === '*') return `${SIGSTORE_DEFAULT_REGISTRY}/library/*`;
  return glob;
}

function compileSigstore(glob: string): RegExp | undefined {
  const expanded = expandSigstoreShorthand(glob);
  if (!SIGSTORE_GLOB_CHARACTERS.test(expanded)) return undefined;
  // Sigstore's `**` / `*` are the image policy's repository pattern syntax; the characters allowed above are literal there.
  return repositoryPatternRegExp(expanded);
}

/** Translates a gobwas/glob pattern (no separators) to a RegExp, or returns why it is invalid. */
function compileGobwas(glob: string): RegExp | string {
  let source = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      if (i + 1 >= glob.length) return 'it ends with an unfinished "\\" escape';
      source += escapeRegExp(glob[++i]);
    } else if (c === '*') {
      while (glob[i + 1] === '*') i++;
      source += '[\\s\\S]*';
    } else if (c === '?') {
      source += '[\\s\\S]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) return 'a "[" character class is not closed';
      let body = glob.slice(i + 1, close);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      if (body === '') return 'a "[" character class is empty';
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else if (c === '{') {
      depth++;
      source += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      source += ')';
    } else if (c === ',' && depth > 0) {
      source += '|';
    } else {
      source += escapeRegExp(c);
    }
  }
  if (depth > 0) return 'a "{" alternative list is not closed';
  try {
    return new RegExp(`^${source}$`);
  } catch (e) {
    return (e as Error).message;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, (m) => `\\${m}`);
}

/** The registry component as written, when the reference names one (same host test as the parser). */
function writtenRegistry(image: string): string | undefined {
  const name = image.split('@')[0];
  const slash = name.indexOf('/');
  if (slash < 0) return undefined;
  const first = name.slice(0, slash);
  const looksLikeHost = first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase();
  return looksLikeHost ? first : undefined;
}

function isKind(object: unknown, group: string, versions: readonly string[], kind: string): object is Record<string, unknown> {
  if (typeof object !== 'object' || object === null) return false;
  const o = object as Record<string, unknown>;
  if (o.kind !== kind || typeof o.apiVersion !== 'string') return false;
  const [g, v] = o.apiVersion.split('/');
  return g === group && versions.includes(v);
}

function nameOf(object: Record<string, unknown>): string {
  const name = record(object.metadata).name;
  return typeof name === 'string' ? name : '(unnamed)';
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The namespace label policy-controller requires before it verifies images in a namespace. */
export const SIGSTORE_NAMESPACE_LABEL = 'policy.sigstore.dev/include';
/**
 * The namespace label ImageTrust's Kyverno policies select (`spec.matchConstraints.namespaceSelector`). Kyverno
 * itself has no opt-in label: a policy without a namespaceSelector applies everywhere, so ImageTrust selects on
 * this label to make verification a per-namespace decision, as it is with policy-controller.
 */
export const KYVERNO_NAMESPACE_LABEL = 'hardened.cdk8s.io/verify-images';

/**
 * Image globs equivalent to (or broader than) the image policy's trusted sources, in the verifier's syntax.
 * Broader is safe here: a glob decides which images must be signed, so an over-match verifies more.
 * - registry `r` (or `*.example.com`): sigstore `r/**`, Kyverno `r/*` (its `*` crosses `/`);
 * - repository pattern `r/path`: `r/path` followed by `*` when it does not end in one (the tag or digest);
 * - Docker Hub is `index.docker.io` for sigstore; Kyverno reads the image as written, so both `docker.io/...`
 *   and `index.docker.io/...` are emitted (unqualified names such as `nginx` cannot be globbed safely and stay
 *   uncovered, which ImageTrust reports).
 * Returns an empty list when the policy restricts no source.
 */
export function globsFromImagePolicy(
  policy: { readonly allowedRegistries?: readonly string[]; readonly allowedRepositories?: readonly string[] },
  verifier: TrustGlob['verifier'],
): string[] {
  const globs: string[] = [];
  const hosts = (registry: string): string[] => {
    if (registry !== 'docker.io') return [registry];
    return verifier === 'sigstore' ? [SIGSTORE_DEFAULT_REGISTRY] : ['docker.io', SIGSTORE_DEFAULT_REGISTRY];
  };
  for (const registry of policy.allowedRegistries ?? []) {
    for (const host of hosts(registry)) globs.push(`${host}/${verifier === 'sigstore' ? '**' : '*'}`);
  }
  for (const pattern of policy.allowedRepositories ?? []) {
    const slash = pattern.indexOf('/');
    const registry = pattern.slice(0, slash);
    const rest = pattern.slice(slash);
    const suffix = rest.endsWith('*') ? '' : '*';
    for (const host of hosts(registry)) globs.push(`${host}${rest}${suffix}`);
  }
  return [...new Set(globs)];
}
