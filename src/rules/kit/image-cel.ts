/**
 * Image references in CEL, read exactly as src/analysis/images/image-reference.ts reads them (the distribution
 * grammar with Docker's normalisation), for the image rules' policies: every piece is a regex match or a
 * string operation on one image, so the cost stays linear in the containers.
 *
 * The image policy (allow-lists, digest requirement, pull policies) is data in the params ConfigMap, never CEL
 * text: the keys below, written by imagePolicyParamsData.
 */
import { celString } from './cel';
import { normaliseRegistryName, qualifyRepositoryPattern, repositoryPatternRegExp } from '../../analysis/images/image-policy';
import { ImagePolicySettings } from '../../analysis/images/image-policy-settings';
import type { AdmissionVariable } from '../rule';

/** `"false"` when tags are accepted; absent (or anything else) means digests are required. */
export const REQUIRE_DIGEST_KEY = 'image.require-digest';
/** Comma-separated registries (`*.example.com` for any subdomain); with the next key, its presence restricts sources. */
export const ALLOWED_REGISTRIES_KEY = 'image.allowed-registries';
/** One RE2 regex matching the fully qualified repository names the repository patterns allow. */
export const ALLOWED_REPOSITORIES_KEY = 'image.allowed-repositories-regex';
/** Comma-separated pull policies accepted (replacing the rule's defaults). */
export const ALLOWED_PULL_POLICIES_KEY = 'image.allowed-pull-policies';

/** The image policy as params data (keys sorted by the caller); a validated policy (parseImagePolicy) is expected. */
export function imagePolicyParamsData(policy: ImagePolicySettings): Record<string, string> {
  const data: Record<string, string> = {};
  if (policy.requireDigest === false) data[REQUIRE_DIGEST_KEY] = 'false';
  if ((policy.allowedRegistries ?? []).length > 0) data[ALLOWED_REGISTRIES_KEY] = policy.allowedRegistries!.map(normaliseRegistryName).join(',');
  if ((policy.allowedRepositories ?? []).length > 0) {
    // The engine's own compiled patterns, anchored once around the alternation: the same language in RE2.
    const sources = policy.allowedRepositories!.map((p) => repositoryPatternRegExp(qualifyRepositoryPattern(p)).source.replace(/^\^|\$$/g, ''));
    data[ALLOWED_REPOSITORIES_KEY] = `^(?:${sources.join('|')})$`;
  }
  if ((policy.allowedPullPolicies ?? []).length > 0) data[ALLOWED_PULL_POLICIES_KEY] = policy.allowedPullPolicies!.join(',');
  return data;
}

// The grammar, as RE2 (written with \\ for CEL string literals by celString).
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
/** An IPv6 literal: hex digits, dots and at least one colon between brackets. */
const IPV6 = '\\[[0-9a-fA-F.]*:[0-9a-fA-F:.]*\\]';
/** Ports 0 to 65535, leading zeros allowed (the parser reads the number). */
const PORT = '0*(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
const REGISTRY = `(?:${DOMAIN}|${IPV6})(?::${PORT})?`;
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = 'sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}';
const TAIL = `(?::${TAG})?(?:@(?:${DIGEST}))?`;
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
/** With a registry: it is the first component, then the path. */
const WITH_REGISTRY = `^${REGISTRY}/${PATH}${TAIL}$`;
/** Without one: the whole name is the path. */
const WITHOUT_REGISTRY = `^${PATH}${TAIL}$`;
/** The first component names a registry when it has ".", ":" or an upper-case letter, or is localhost (splitRegistry). */
const FIRST_IS_REGISTRY = '^(?:[^/]*[.:A-Z][^/]*|localhost)/';
const IMAGE_ID = '^[a-f0-9]{64}$';

/**
 * Each stage maps the previous list of per-container records to records with more fields, so that later
 * fields read earlier ones without repeating their CEL (CEL has no local bindings). One record per container
 * of `variables.allContainers`, in the same order; every stage is one pass over the containers.
 */
const STAGES: ReadonlyArray<Record<string, string>> = [
  {
    name: 'c.name',
    image: "has(c.image) ? c.image : ''",
    hasPullPolicy: 'has(c.imagePullPolicy)',
    pullPolicy: "has(c.imagePullPolicy) ? c.imagePullPolicy : ''",
  },
  {
    rest: "c.image.split('@')[0]",
    hasDigest: "c.image.contains('@')",
    hasRegistry: `c.image.matches(${celString(FIRST_IS_REGISTRY)})`,
  },
  { hasTag: "c.rest.lastIndexOf(':') > c.rest.lastIndexOf('/')" },
  {
    written: "c.hasTag ? c.rest.substring(0, c.rest.lastIndexOf(':')) : c.rest",
    tag: "c.hasTag ? c.rest.substring(c.rest.lastIndexOf(':') + 1) : ''",
  },
  {
    host: "c.hasRegistry ? c.written.substring(0, c.written.indexOf('/')).lowerAscii() : 'docker.io'",
    path: "c.hasRegistry ? c.written.substring(c.written.indexOf('/') + 1) : c.written",
  },
  { registry: "c.host == 'index.docker.io' ? 'docker.io' : c.host" },
  { fullName: "c.registry + '/' + (c.registry == 'docker.io' && !c.path.contains('/') ? 'library/' : '') + c.path" },
  {
    valid: `(c.hasRegistry ? c.image.matches(${celString(WITH_REGISTRY)}) : c.image.matches(${celString(WITHOUT_REGISTRY)}))`
      + ` && !c.image.matches(${celString(IMAGE_ID)}) && size(c.fullName) <= 255`,
  },
];

/**
 * The variables of the image rules: `images`, one record per container with `name`, `image`, `hasPullPolicy`,
 * `pullPolicy`, `hasDigest`, `hasTag`, `tag`, `registry` (normalised), `fullName` (`docker.io/library/nginx`) and
 * `valid` (parseImageReference accepts the image). The other fields are intermediate.
 */
export function imageVariables(): AdmissionVariable[] {
  const variables: AdmissionVariable[] = [];
  const fields: string[] = [];
  STAGES.forEach((stage, i) => {
    const source = i === 0 ? 'variables.allContainers' : `variables.imageStage${i - 1}`;
    // dyn(): Kubernetes compiles with homogeneous aggregate literals, so a map mixing strings and bools needs it.
    const entries = [...fields.map((f) => `${celString(f)}: c.${f}`), ...Object.entries(stage).map(([f, e]) => `${celString(f)}: dyn(${e})`)];
    fields.push(...Object.keys(stage));
    variables.push({ name: i === STAGES.length - 1 ? 'images' : `imageStage${i}`, expression: `${source}.map(c, {${entries.join(', ')}})` });
  });
  return variables;
}

/** CEL: a params value (`variables.paramsData`), or '' when absent. */
export function paramValue(key: string): string {
  return `(${celString(key)} in variables.paramsData ? variables.paramsData[${celString(key)}] : '')`;
}

/** CEL: a comma-separated params value as a list (empty when absent). */
export function paramListValue(key: string): string {
  return `(${celString(key)} in variables.paramsData ? variables.paramsData[${celString(key)}].split(',') : [])`;
}
