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
import type { WaiverGovernance } from '../core/waiver-governance';
import { waiverGovernanceErrors } from '../core/waiver-judgement';
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
  /** The waiver governance: fields waivers must carry, their longest lifetime, whether an unused waiver is an error. */
  readonly waivers?: WaiverGovernance;
  /** Read kube-linter, Polaris and kube-score exemption annotations as waivers (`--peer-exemptions`). @default false */
  readonly peerExemptions?: boolean;
}

/** A config file or flag the CLI cannot use: exit code 2. */
export class UsageError extends Error {}

const CONFIG_KEYS = [
  'level', 'minSeverity', 'rules', 'skip', 'lockedRules', 'exemptions', 'imagePolicy', 'namespace', 'kubernetesVersion', 'waivable', 'vulnerabilitySeverity',
  'waivers', 'peerExemptions',
];
const GOVERNANCE_KEYS = ['requireExpiry', 'requireOwner', 'requireTicket', 'maxLifetimeDays', 'strictRules', 'unused'];
const WAIVABLE_KEYS = ['allNamespaces', 'namespaces', 'clusterScoped'];
const EXEMPTION_KEYS = ['ruleId', 'reason', 'expires', 'owner', 'ticket', 'kind', 'namespace', 'name', 'allowBlanket'];

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
  if (raw.peerExemptions !== undefined && typeof raw.peerExemptions !== 'boolean') fail('peerExemptions', 'must be true or false');
  return {
    level,
    minSeverity,
    ...(raw.waivable !== undefined ? { waivable: parseWaivable(raw.waivable, fail) } : {}),
    ...(raw.waivers !== undefined ? { waivers: parseGovernance(raw.waivers, fail) } : {}),
    ...(raw.peerExemptions !== undefined ? { peerExemptions: raw.peerExemptions as boolean } : {}),
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

/** `waivers: {requireExpiry, requireOwner, requireTicket, maxLifetimeDays, strictRules, unused}`. */
export function parseGovernance(value: unknown, fail: (key: string, message: string) => never): WaiverGovernance {
  if (!isObject(value)) return fail('waivers', `must be a mapping of ${GOVERNANCE_KEYS.join(', ')}`);
  for (const k of Object.keys(value)) if (!GOVERNANCE_KEYS.includes(k)) fail(`waivers.${k}`, `unknown key (allowed: ${GOVERNANCE_KEYS.join(', ')})`);
  const errors = waiverGovernanceErrors(value as WaiverGovernance, (id) => findRule(id) !== undefined);
  if (errors.length > 0) {
    const key = errors[0].split(' ')[0];
    fail(key, errors.map((e) => e.slice(e.indexOf(' ') + 1)).join('; '));
  }
  return Object.fromEntries(GOVERNANCE_KEYS.filter((k) => value[k] !== undefined).map((k) => [k, value[k]])) as WaiverGovernance;
}

/** A selector value that matches every string (`*`, `**`, ...), or no value at all. */
function matchesEverything(pattern: unknown): boolean {
  return pattern === undefined || (typeof pattern === 'string' && /^\*+$/.test(pattern));
}

function parseExemptions(value: unknown, fail: (key: string, message: string) => never): Exemption[] {
  if (!Array.isArray(value)) return fail('exemptions', 'must be a list of {ruleId, reason, expires?, owner?, ticket?, kind?, namespace?, name?, allowBlanket?}');
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
    if (entry.allowBlanket !== undefined && typeof entry.allowBlanket !== 'boolean') fail(`${key}.allowBlanket`, 'must be true or false');
    const blanket = matchesEverything(entry.kind) && matchesEverything(entry.namespace) && matchesEverything(entry.name);
    if (blanket && entry.allowBlanket !== true) {
      // A blanket exemption hides every future finding of the rule: it must say so (or use `skip` to turn the rule off openly).
      fail(key, 'selects every object (no kind, namespace or name narrower than `*`): narrow it, or write allowBlanket: true beside its reason to exempt the rule everywhere');
    }
    if (!blanket && entry.allowBlanket === true) fail(`${key}.allowBlanket`, 'the exemption selects some objects only, so it is not a blanket: remove allowBlanket');
    return {
      ruleId: entry.ruleId as string,
      reason: (entry.reason as string).trim(),
      ...(entry.expires !== undefined ? { expires: entry.expires as string } : {}),
      ...(entry.owner !== undefined ? { owner: (entry.owner as string).trim() } : {}),
      ...(entry.ticket !== undefined ? { ticket: (entry.ticket as string).trim() } : {}),
      kind: entry.kind as string | undefined,
      namespace: entry.namespace as string | undefined,
      name: entry.name as string | undefined,
      ...(blanket ? { allowBlanket: true } : {}),
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
  /** `--peer-exemptions`: read peer tools' exemption annotations (or the config's peerExemptions). */
  readonly peerExemptions?: boolean;
  /** `--today`: the day waiver expiry is judged on. @default - $CDK8S_HARDENED_TODAY, else today */
  readonly today?: string;
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
    ...(config.waivable ? { waiverPolicy: config.waivable } : {}),
    ...(config.waivers ? { waiverGovernance: config.waivers } : {}),
    ...(flags.today !== undefined ? { today: flags.today } : {}),
    ...((flags.peerExemptions ?? config.peerExemptions) ? { peerExemptions: true } : {}),
  };
}

function union(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] | undefined {
  if (!a && !b) return undefined;
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}
