/**
 * Reading and applying an image policy: validation of user input (the CLI's `--config` `imagePolicy:` key,
 * `Hardening.enforce` options) with errors that name the bad key, and the matching rules the image rules use.
 */
import type { ImagePolicySettings, ImagePullSecretRequirement } from './image-policy-settings';
import { DEFAULT_REGISTRY, fullName, ImageReference } from './image-reference';

export type { ImagePolicySettings, ImagePullSecretRequirement } from './image-policy-settings';

/** The `imagePullPolicy` values Kubernetes accepts. */
export const PULL_POLICIES: readonly string[] = ['Always', 'IfNotPresent', 'Never'];

const POLICY_KEYS = ['allowedRegistries', 'allowedRepositories', 'requireDigest', 'allowedPullPolicies', 'requiredPullSecrets'];
const REGISTRY_PATTERN = /^(?:\*\.)?(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])(?:\.(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9]))*(?::[0-9]{1,5})?$|^\[[0-9a-f:.]+\](?::[0-9]{1,5})?$/;
const REPOSITORY_PATTERN_CHARS = /^[a-z0-9._\-/*:[\]]+$/;
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Error in an image policy; the message names the key (`imagePolicy.allowedRegistries[1]`). */
export class ImagePolicyError extends Error {
  constructor(
    public readonly key: string,
    reason: string,
  ) {
    super(`${key}: ${reason}`);
    this.name = 'ImagePolicyError';
  }
}

/**
 * Validates raw input (parsed YAML/JSON or a TypeScript object) as an image policy and returns it normalised
 * (registries lower-case, `index.docker.io` as `docker.io`, repository patterns fully qualified).
 * Throws {@link ImagePolicyError} naming the first bad key; unknown keys are errors, never ignored.
 */
export function parseImagePolicy(raw: unknown, keyPrefix = 'imagePolicy'): ImagePolicySettings {
  const fail = (key: string, reason: string): never => {
    throw new ImagePolicyError(key === '' ? keyPrefix : `${keyPrefix}.${key}`, reason);
  };
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('', `must be a mapping of ${POLICY_KEYS.join(', ')}`);
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!POLICY_KEYS.includes(key)) fail(key, `unknown key (expected one of ${POLICY_KEYS.join(', ')})`);
  }

  const stringList = (key: string): string[] | undefined => {
    const value = input[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) fail(key, 'must be a list of strings');
    // An empty allow-list would read as "nothing allowed" to some and "no restriction" to others: refuse it.
    if ((value as unknown[]).length === 0) fail(key, 'must list at least one entry (omit the key for the default)');
    return (value as unknown[]).map((item, i) => {
      if (typeof item !== 'string' || item.trim() === '') fail(`${key}[${i}]`, 'must be a non-empty string');
      return (item as string).trim();
    });
  };

  const allowedRegistries = stringList('allowedRegistries')?.map((registry, i) => {
    const normalised = normaliseRegistryName(registry);
    if (!REGISTRY_PATTERN.test(normalised)) {
      fail(`allowedRegistries[${i}]`, `"${registry}" is not a registry host[:port] (e.g. registry.example.com, *.example.com, localhost:5000)`);
    }
    return normalised;
  });

  const allowedRepositories = stringList('allowedRepositories')?.map((pattern, i) => {
    if (pattern.includes('@')) fail(`allowedRepositories[${i}]`, `"${pattern}" must name repositories, without a tag or digest`);
    if (!pattern.includes('/') && (pattern.includes('.') || pattern.includes(':') || pattern === 'localhost')) {
      fail(`allowedRepositories[${i}]`, `"${pattern}" is a registry, not a repository: list it in allowedRegistries or write "${pattern}/**"`);
    }
    const qualified = qualifyRepositoryPattern(pattern);
    if (!REPOSITORY_PATTERN_CHARS.test(qualified) || qualified.includes('//') || qualified.endsWith('/')) {
      fail(`allowedRepositories[${i}]`, `"${pattern}" is not a repository pattern (lower-case name with optional * and ** wildcards)`);
    }
    if (/:[^/]*$/.test(qualified.slice(qualified.indexOf('/')))) {
      fail(`allowedRepositories[${i}]`, `"${pattern}" must name repositories, without a tag or digest`);
    }
    return qualified;
  });

  let requireDigest: boolean | undefined;
  if (input.requireDigest !== undefined) {
    if (typeof input.requireDigest !== 'boolean') fail('requireDigest', 'must be true or false');
    requireDigest = input.requireDigest as boolean;
  }

  const allowedPullPolicies = stringList('allowedPullPolicies')?.map((policy, i) => {
    if (!PULL_POLICIES.includes(policy)) fail(`allowedPullPolicies[${i}]`, `"${policy}" is not one of ${PULL_POLICIES.join(', ')}`);
    return policy;
  });

  let requiredPullSecrets: ImagePullSecretRequirement[] | undefined;
  if (input.requiredPullSecrets !== undefined) {
    if (!Array.isArray(input.requiredPullSecrets)) fail('requiredPullSecrets', 'must be a list of {registry, secretNames}');
    requiredPullSecrets = (input.requiredPullSecrets as unknown[]).map((entry, i) => {
      const key = `requiredPullSecrets[${i}]`;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(key, 'must be a mapping {registry, secretNames}');
      const e = entry as Record<string, unknown>;
      for (const k of Object.keys(e)) if (k !== 'registry' && k !== 'secretNames') fail(`${key}.${k}`, 'unknown key (expected registry, secretNames)');
      if (typeof e.registry !== 'string' || !REGISTRY_PATTERN.test(normaliseRegistryName(e.registry)) || e.registry.startsWith('*.')) {
        fail(`${key}.registry`, 'must be a registry host[:port] (e.g. registry.example.com)');
      }
      if (!Array.isArray(e.secretNames) || e.secretNames.length === 0) fail(`${key}.secretNames`, 'must list at least one Secret name');
      const secretNames = (e.secretNames as unknown[]).map((name, j) => {
        if (typeof name !== 'string' || !SECRET_NAME.test(name)) fail(`${key}.secretNames[${j}]`, 'must be a Secret name (lower-case DNS subdomain)');
        return name as string;
      });
      return { registry: normaliseRegistryName(e.registry as string), secretNames };
    });
  }

  return {
    ...(allowedRegistries !== undefined ? { allowedRegistries } : {}),
    ...(allowedRepositories !== undefined ? { allowedRepositories } : {}),
    ...(requireDigest !== undefined ? { requireDigest } : {}),
    ...(allowedPullPolicies !== undefined ? { allowedPullPolicies } : {}),
    ...(requiredPullSecrets !== undefined ? { requiredPullSecrets } : {}),
  };
}

/** True when the policy restricts where images may come from. */
export function restrictsSources(policy: ImagePolicySettings): boolean {
  return (policy.allowedRegistries?.length ?? 0) > 0 || (policy.allowedRepositories?.length ?? 0) > 0;
}

/**
 * True when the image may be pulled under the policy: no source restriction, its registry is in
 * `allowedRegistries`, or its fully qualified name matches a pattern of `allowedRepositories`.
 */
export function isTrustedSource(reference: ImageReference, policy: ImagePolicySettings): boolean {
  if (!restrictsSources(policy)) return true;
  const registry = reference.registry;
  const registryAllowed = (policy.allowedRegistries ?? []).some((allowed) => registryMatches(registry, normaliseRegistryName(allowed)));
  if (registryAllowed) return true;
  const name = fullName(reference);
  return (policy.allowedRepositories ?? []).some((pattern) => compiledPattern(pattern).test(name));
}

/** Compiled repository patterns, so that checking 10,000 pods compiles each pattern once. */
const compiledPatterns = new Map<string, RegExp>();

function compiledPattern(pattern: string): RegExp {
  let compiled = compiledPatterns.get(pattern);
  if (!compiled) {
    compiled = repositoryPatternRegExp(qualifyRepositoryPattern(pattern));
    // Policies are small; the bound only guards a long-lived process that sees many different policies.
    if (compiledPatterns.size > 1000) compiledPatterns.clear();
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

/** `*.example.com` matches subdomains of example.com; anything else matches exactly. */
function registryMatches(registry: string, allowed: string): boolean {
  if (allowed.startsWith('*.')) return registry.endsWith(allowed.slice(1)) && registry.length > allowed.length - 1;
  return registry === allowed;
}

/** Lower-cases a registry host and maps Docker Hub's legacy name. */
export function normaliseRegistryName(registry: string): string {
  const lower = registry.trim().toLowerCase();
  return lower === 'index.docker.io' ? DEFAULT_REGISTRY : lower;
}

/**
 * Qualifies a repository pattern like an image name: a first component with "." or ":" (or `localhost`)
 * is a registry; otherwise the registry is docker.io, and a single component gets `library/`.
 */
export function qualifyRepositoryPattern(pattern: string): string {
  const slash = pattern.indexOf('/');
  const first = slash < 0 ? pattern : pattern.slice(0, slash);
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return `${normaliseRegistryName(first)}${pattern.slice(slash)}`;
  }
  if (slash < 0 && !pattern.includes('*')) return `${DEFAULT_REGISTRY}/library/${pattern}`;
  return `${DEFAULT_REGISTRY}/${pattern}`;
}

/** Compiles a qualified repository pattern: `**` any characters, `*` any characters but `/`. */
export function repositoryPatternRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') {
      source += '[^/]*';
    } else {
      source += ch.replace(/[.+?^${}()|[\]\\-]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Whether digests are required (the default). */
export function requiresDigest(policy: ImagePolicySettings): boolean {
  return policy.requireDigest !== false;
}

/**
 * The pull policy Kubernetes sets when `imagePullPolicy` is omitted: Always when the tag is `latest`
 * (written, or implied by an image with neither tag nor digest), else IfNotPresent.
 */
export function defaultPullPolicy(reference: ImageReference): string {
  const impliedLatest = reference.tag === undefined && reference.digest === undefined;
  return reference.tag === 'latest' || impliedLatest ? 'Always' : 'IfNotPresent';
}
