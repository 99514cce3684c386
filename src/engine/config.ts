/**
 * The scanner's config file (`--config FILE`, YAML or JSON). Strict: an unknown key or a wrong type is an
 * error naming the key, because a typo in a security config must never silently widen what passes.
 */
import * as fs from 'fs';
import * as yaml from 'js-yaml';
import type { EngineOptions } from './engine';
import type { Exemption } from './exemptions';
import { ImagePolicyError, ImagePolicySettings, parseImagePolicy } from '../analysis/images/image-policy';
import { isObject, JsonObject } from '../core/json';
import { Level, parseSeverity, Severity } from '../core/types';
import { WaiverPolicy, waiverPolicyErrors } from '../core/waiver-policy';
import { waiverError } from '../core/waivers';
import { findRule } from '../rules';
import type { RuleSettings } from '../rules/rule';
import { kubernetesVersionError } from '../rules/workload/api-lifecycle';

export interface HardenedConfig {
  readonly level?: Level;
  readonly minSeverity?: Severity;
  readonly rules?: string[];
  readonly skip?: string[];
  /** Rules whose waivers and exemptions are ignored (controls the organisation does not let teams bypass). */
  readonly lockedRules?: string[];
  readonly exemptions?: Exemption[];
  /** The organisation's image policy (registries, digests, pull policies), passed to the rules as `settings.imagePolicy`. */
  readonly imagePolicy?: ImagePolicySettings;
  /** Namespace for namespaced objects without one, as `kubectl apply -n` reads them. */
  readonly namespace?: string;
  /** Kubernetes version the manifests target (`1.30`), passed to the rules as `settings.kubernetesVersion`. */
  readonly kubernetesVersion?: string;
  /** Where waiver annotations are permitted (the cluster's admission params): `check` honours only those; `admission` writes them. */
  readonly waivable?: WaiverPolicy;
  /** Lowest vulnerability severity the scan gate (image-known-vulnerabilities, `--scan-report`) reports. @default critical */
  readonly vulnerabilitySeverity?: Severity;
  /** Namespaces managed elsewhere (`*`: all): namespace-level rules do not judge them. */
  readonly externalNamespaces?: string[];
  /** The manifests are part of what runs: rules that judge absence report warnings, not findings. */
  readonly partial?: boolean;
}

/** A config file or flag the CLI cannot use: exit code 2. */
export class UsageError extends Error {}

const CONFIG_KEYS = ['level', 'minSeverity', 'rules', 'skip', 'lockedRules', 'exemptions', 'imagePolicy', 'namespace', 'kubernetesVersion', 'waivable', 'vulnerabilitySeverity', 'externalNamespaces', 'partial'];
const WAIVABLE_KEYS = ['allNamespaces', 'namespaces', 'clusterScoped'];
const EXEMPTION_KEYS = ['ruleId', 'reason', 'kind', 'namespace', 'name'];

export function loadConfig(file: string): HardenedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = file.toLowerCase().endsWith('.json') ? JSON.parse(text) : yaml.load(text, { filename: file, schema: yaml.JSON_SCHEMA });
  } catch (e) {
    const reason = e instanceof yaml.YAMLException ? `${e.reason} (line ${(e.mark?.line ?? 0) + 1})` : (e as Error).message;
    throw new UsageError(`config file ${file} is not valid ${file.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${reason}`);
  }
  return parseConfig(value ?? {}, file);
}

/** Validates a parsed config; every error names the file and the key. */
export function parseConfig(value: unknown, file = 'config'): HardenedConfig {
  const fail = (key: string, message: string): never => {
    throw new UsageError(`${file}: ${key}: ${message}`);
  };
  if (!isObject(value)) fail('(top level)', 'must be a mapping of settings');
  const raw = value as JsonObject;
  for (const key of Object.keys(raw)) {
    if (!CONFIG_KEYS.includes(key)) fail(key, `unknown key (allowed: ${CONFIG_KEYS.join(', ')})`);
  }
  const ruleList = (key: string): string[] | undefined => {
    const list = raw[key];
    if (list === undefined) return undefined;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) return fail(key, 'must be a list of rule ids');
    for (const id of list as string[]) if (!findRule(id)) fail(key, `unknown rule id "${id}" (list the rules with \`cdk8s-hardened rules\`)`);
    return list as string[];
  };

  let level: Level | undefined;
  if (raw.level !== undefined) {
    if (raw.level !== 'baseline' && raw.level !== 'restricted') fail('level', 'must be "baseline" or "restricted"');
    level = raw.level as Level;
  }
  let minSeverity: Severity | undefined;
  if (raw.minSeverity !== undefined) {
    minSeverity = typeof raw.minSeverity === 'string' ? parseSeverity(raw.minSeverity) : undefined;
    if (!minSeverity) fail('minSeverity', 'must be one of critical, high, medium, low');
  }
  let vulnerabilitySeverity: Severity | undefined;
  if (raw.vulnerabilitySeverity !== undefined) {
    vulnerabilitySeverity = typeof raw.vulnerabilitySeverity === 'string' ? parseSeverity(raw.vulnerabilitySeverity) : undefined;
    if (!vulnerabilitySeverity) fail('vulnerabilitySeverity', 'must be one of critical, high, medium, low');
  }
  let imagePolicy: ImagePolicySettings | undefined;
  if (raw.imagePolicy !== undefined) {
    if (!isObject(raw.imagePolicy)) fail('imagePolicy', 'must be a mapping');
    try {
      // The supply-chain area owns the policy's fields: it validates and normalises them.
      imagePolicy = parseImagePolicy(raw.imagePolicy);
    } catch (e) {
      if (e instanceof ImagePolicyError) throw new UsageError(`${file}: ${e.message}`);
      throw e;
    }
  }
  let namespace: string | undefined;
  if (raw.namespace !== undefined) {
    const error = typeof raw.namespace === 'string' ? namespaceNameError(raw.namespace) : 'must be a namespace name (a string)';
    if (error) fail('namespace', error);
    namespace = raw.namespace as string;
  }
  let kubernetesVersion: string | undefined;
  if (raw.kubernetesVersion !== undefined) {
    const error = kubernetesVersionError(raw.kubernetesVersion);
    if (error) fail('kubernetesVersion', error);
    kubernetesVersion = (raw.kubernetesVersion as string).trim();
  }
  let externalNamespaces: string[] | undefined;
  if (raw.externalNamespaces !== undefined) {
    const list = raw.externalNamespaces;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) fail('externalNamespaces', 'must be a list of namespace names (or ["*"])');
    const error = externalNamespacesError(list as string[]);
    if (error) fail('externalNamespaces', error);
    externalNamespaces = list as string[];
  }
  if (raw.partial !== undefined && typeof raw.partial !== 'boolean') fail('partial', 'must be true or false');
  return {
    level,
    minSeverity,
    ...(externalNamespaces !== undefined ? { externalNamespaces } : {}),
    ...(raw.partial !== undefined ? { partial: raw.partial as boolean } : {}),
    ...(raw.waivable !== undefined ? { waivable: parseWaivable(raw.waivable, fail) } : {}),
    rules: ruleList('rules'),
    skip: ruleList('skip'),
    lockedRules: ruleList('lockedRules'),
    exemptions: raw.exemptions === undefined ? undefined : parseExemptions(raw.exemptions, fail),
    imagePolicy,
    namespace,
    kubernetesVersion,
    vulnerabilitySeverity,
  };
}

/** Why a value is not a namespace name (an RFC 1123 label, as the API server requires), or undefined. */
export function namespaceNameError(name: string): string | undefined {
  if (name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return undefined;
  return `"${name}" is not a namespace name (lower-case letters, digits and "-", at most 63 characters, starting and ending with a letter or digit)`;
}

/** Why a list of external namespaces is unusable (an empty list, a bad name, `*` beside names), or undefined. */
export function externalNamespacesError(names: readonly string[]): string | undefined {
  if (names.length === 0) return 'names no namespace (give namespace names, or * for every namespace)';
  if (names.includes('*')) return names.length === 1 ? undefined : '* already means every namespace: give it alone';
  for (const name of names) {
    const error = namespaceNameError(name);
    if (error) return error;
  }
  return undefined;
}

/** `waivable: {allNamespaces, namespaces: {<ns>: [...]}, clusterScoped}`: lists of rule ids or `*`. */
function parseWaivable(value: unknown, fail: (key: string, message: string) => never): WaiverPolicy {
  if (!isObject(value)) return fail('waivable', `must be a mapping of ${WAIVABLE_KEYS.join(', ')}`);
  for (const k of Object.keys(value)) if (!WAIVABLE_KEYS.includes(k)) fail(`waivable.${k}`, `unknown key (allowed: ${WAIVABLE_KEYS.join(', ')})`);
  const ids = (key: string, list: unknown): string[] => {
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) return fail(key, 'must be a list of rule ids (or "*")');
    return list as string[];
  };
  const namespaces: Record<string, string[]> = {};
  if (value.namespaces !== undefined) {
    if (!isObject(value.namespaces)) fail('waivable.namespaces', 'must map namespace names to lists of rule ids');
    for (const [ns, list] of Object.entries(value.namespaces as JsonObject)) namespaces[ns] = ids(`waivable.namespaces.${ns}`, list);
  }
  const policy: WaiverPolicy = {
    ...(value.allNamespaces !== undefined ? { allNamespaces: ids('waivable.allNamespaces', value.allNamespaces) } : {}),
    ...(value.namespaces !== undefined ? { namespaces } : {}),
    ...(value.clusterScoped !== undefined ? { clusterScoped: ids('waivable.clusterScoped', value.clusterScoped) } : {}),
  };
  const errors = waiverPolicyErrors(policy, (id) => findRule(id) !== undefined);
  if (errors.length > 0) fail('waivable', errors.join('; '));
  return policy;
}

function parseExemptions(value: unknown, fail: (key: string, message: string) => never): Exemption[] {
  if (!Array.isArray(value)) return fail('exemptions', 'must be a list of {ruleId, reason, kind?, namespace?, name?}');
  return value.map((entry, i) => {
    const key = `exemptions[${i}]`;
    if (!isObject(entry)) return fail(key, 'must be a mapping');
    for (const k of Object.keys(entry)) {
      if (!EXEMPTION_KEYS.includes(k)) fail(`${key}.${k}`, `unknown key (allowed: ${EXEMPTION_KEYS.join(', ')})`);
    }
    for (const k of ['kind', 'namespace', 'name']) {
      if (entry[k] !== undefined && (typeof entry[k] !== 'string' || entry[k] === '')) fail(`${key}.${k}`, 'must be a non-empty string (`*` matches any characters)');
    }
    const error = waiverError(entry, (id) => findRule(id) !== undefined);
    if (error) fail(key, error);
    if (entry.kind === undefined && entry.namespace === undefined && entry.name === undefined) {
      // A blanket exemption would hide every future finding of the rule; use `skip` to turn a rule off openly.
      fail(key, 'must select objects with at least one of kind, namespace or name (use `skip` to turn a rule off)');
    }
    return {
      ruleId: entry.ruleId as string,
      reason: (entry.reason as string).trim(),
      kind: entry.kind as string | undefined,
      namespace: entry.namespace as string | undefined,
      name: entry.name as string | undefined,
    };
  });
}

/** Command-line choices; each overrides (level, minSeverity) or extends (rules, skip) the config. */
export interface RunFlags {
  readonly level?: Level;
  readonly minSeverity?: Severity;
  readonly rules?: readonly string[];
  readonly skip?: readonly string[];
  /** `--namespace`: overrides the config's namespace. */
  readonly namespace?: string;
  /** `--kubernetes-version`: overrides the config's kubernetesVersion. */
  readonly kubernetesVersion?: string;
  /** `--external-namespaces`: added to the config's externalNamespaces. */
  readonly externalNamespaces?: readonly string[];
  /** `--partial`: turns the config's partial on. */
  readonly partial?: boolean;
}

/** Engine options from the config file and the flags. */
export function engineOptions(config: HardenedConfig, flags: RunFlags): EngineOptions {
  const kubernetesVersion = flags.kubernetesVersion ?? config.kubernetesVersion;
  const settings: RuleSettings = {
    ...(config.imagePolicy ? { imagePolicy: config.imagePolicy } : {}),
    ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
    ...(config.vulnerabilitySeverity ? { vulnerabilitySeverity: config.vulnerabilitySeverity } : {}),
  };
  return {
    level: flags.level ?? config.level,
    minSeverity: flags.minSeverity ?? config.minSeverity,
    rules: union(config.rules, flags.rules),
    skip: union(config.skip, flags.skip),
    lockedRules: config.lockedRules,
    settings,
    ...externalOption(union(config.externalNamespaces, flags.externalNamespaces)),
    ...(flags.partial || config.partial ? { partial: true } : {}),
    ...(config.waivable ? { waiverPolicy: config.waivable } : {}),
  };
}

/** `*` anywhere means every namespace, whatever else the config and the flag name. */
function externalOption(names: string[] | undefined): Pick<EngineOptions, 'externalNamespaces'> {
  if (!names || names.length === 0) return {};
  return { externalNamespaces: names.includes('*') ? ['*'] : names.sort() };
}

function union(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] | undefined {
  if (!a && !b) return undefined;
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}
