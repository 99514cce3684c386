/**
 * The organisation policy, `.cdk8s-hardened.yaml` (YAML or JSON): one file read by every judge (the CLI, the
 * cdk8s validation plugin, `Hardening.enforce` through `HardeningPolicy`, and the admission policies through
 * their params). Validated against the JSON Schema that ships in the package
 * (schema/cdk8s-hardened-policy.schema.json, the single definition of the format), then against the catalog.
 * Strict: an unknown key or a wrong type is an error naming the key, because a typo in a security policy must
 * never silently widen what passes.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { EngineOptions, restrictedOnlyRuleIds } from './engine';
import type { Exemption } from './exemptions';
import { ImagePolicyError, ImagePolicySettings, parseImagePolicy } from '../analysis/images/image-policy';
import { isObject, JsonObject } from '../core/json';
import { Level, parseSeverity, Severity } from '../core/types';
import type { WaiverGovernance } from '../core/waiver-governance';
import { waiverGovernanceErrors } from '../core/waiver-judgement';
import { WaiverPolicy, waiverPolicyErrors } from '../core/waiver-policy';
import { MIN_WAIVER_REASON_LENGTH, reasonError, waiverError } from '../core/waivers';
import { ALL_RULES, findRule } from '../rules';
import type { Rule, RuleSettings } from '../rules/rule';
import { kubernetesVersionError } from '../rules/workload/api-lifecycle';

/** The file every judge looks for, walking up from the scanned paths (or the working directory). */
export const POLICY_FILE_NAME = '.cdk8s-hardened.yaml';

/** Where the schema ships (two folders up from src/engine and lib/engine). */
export const POLICY_SCHEMA_PATH = path.join(__dirname, '..', '..', 'schema', 'cdk8s-hardened-policy.schema.json');

/** A rule's severity changed, or the rule disabled, by the organisation, with the reason. */
export interface RuleOverride {
  readonly ruleId: string;
  readonly severity?: Severity;
  readonly disable?: boolean;
  readonly reason: string;
}

/** A team grant: a namespace judged at a weaker level or without some rules, with a reason. */
export interface PolicyGrant {
  readonly name: string;
  readonly namespace: string;
  /** A construct path prefix the grant is narrowed to at synth (CI and admission see namespaces only). */
  readonly path?: string;
  readonly level?: Level;
  readonly disable?: string[];
  readonly reason: string;
}

export interface HardenedConfig {
  readonly level?: Level;
  readonly minSeverity?: Severity;
  readonly rules?: string[];
  readonly skip?: string[];
  /** Per-rule severities and disables, each with a reason. */
  readonly overrides?: RuleOverride[];
  /** Rules whose waivers and exemptions are ignored (controls the organisation does not let teams bypass). */
  readonly lockedRules?: string[];
  readonly exemptions?: Exemption[];
  /** Team grants (weaker level or disabled rules per namespace). */
  readonly grants?: PolicyGrant[];
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
  /** Namespaces that exist in the cluster but not in the manifests (the engine's partial-set handling reads them). */
  readonly externalNamespaces?: string[];
  /** The manifests are part of what the cluster runs (the engine's partial-set handling reads it). */
  readonly partial?: boolean;
  /** The `waivers:` section: what waivers must carry (consumed by the waiver checks). */
  readonly waiverGovernance?: WaiverGovernance;
  /** Where the policy came from (a file path, or the construct that built it), for notes and errors. */
  readonly source?: string;
  /** Read kube-linter, Polaris and kube-score exemption annotations as waivers (`--peer-exemptions`). @default false */
  readonly peerExemptions?: boolean;
}

/** A config file or flag the CLI cannot use: exit code 2. */
export class UsageError extends Error {}

/** Reads and validates a policy file (YAML or JSON). */
export function loadConfig(file: string): HardenedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read policy file ${file}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = file.toLowerCase().endsWith('.json') ? JSON.parse(text) : yaml.load(text, { filename: file, schema: yaml.JSON_SCHEMA });
  } catch (e) {
    const reason = e instanceof yaml.YAMLException ? `${e.reason} (line ${(e.mark?.line ?? 0) + 1})` : (e as Error).message;
    throw new UsageError(`policy file ${file} is not valid ${file.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${reason}`);
  }
  return { ...parseConfig(value ?? {}, file), source: file };
}

/** The policy file named `--policy`, else the nearest `.cdk8s-hardened.yaml` above the paths, else above `cwd`. */
export function findPolicyFile(paths: readonly string[], cwd: string = process.cwd()): string | undefined {
  const found = new Set<string>();
  for (const p of paths) {
    if (p === '-') continue;
    const start = path.resolve(cwd, p);
    const file = walkUp(isDirectory(start) ? start : path.dirname(start));
    if (file) found.add(file);
  }
  if (found.size > 1) {
    // Two policies for one scan: which one the organisation meant cannot be guessed.
    throw new UsageError(`the scanned paths lie under different policy files (${[...found].sort().join(', ')}): scan them separately or name one with --policy`);
  }
  return found.size === 1 ? [...found][0] : walkUp(path.resolve(cwd));
}

function walkUp(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const candidate = path.join(current, POLICY_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, any>;
  readonly parentSchema?: { properties?: Record<string, unknown> };
  readonly message?: string;
}
let validator: ((value: unknown) => boolean) & { errors?: SchemaError[] | null } | undefined;

/** The compiled schema (compiled once, on first use: a run without a policy never loads the validator). */
function schemaValidator() {
  if (!validator) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require('ajv').default;
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(fs.readFileSync(POLICY_SCHEMA_PATH, 'utf8')));
  }
  return validator!;
}

/** `/exemptions/0/nmae` as `exemptions[0].nmae`. */
function keyOf(pointer: string): string {
  return pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((key, part) => (/^\d+$/.test(part) ? `${key}[${part}]` : key === '' ? part : `${key}.${part}`), '');
}

const TYPE_NAMES: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', boolean: 'true or false', integer: 'a whole number', number: 'a number' };

/** Schema errors as `key: message`, naming the key and what is allowed, sorted for a stable message. */
export function schemaErrors(value: unknown): string[] {
  const validate = schemaValidator();
  if (validate(value)) return [];
  const messages = (validate.errors ?? []).map((e) => {
    const key = keyOf(e.instancePath);
    const at = (k: string) => (k === '' ? '(top level)' : k);
    switch (e.keyword) {
      case 'additionalProperties': {
        const allowed = Object.keys(e.parentSchema?.properties ?? {}).filter((k) => k !== '$schema');
        return `${at(key === '' ? e.params.additionalProperty : `${key}.${e.params.additionalProperty}`)}: unknown key (allowed: ${allowed.join(', ')})`;
      }
      case 'enum':
        return `${at(key)}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      case 'type': {
        const types = String(e.params.type).split(',').map((t) => TYPE_NAMES[t] ?? t);
        return `${at(key)}: must be ${types.join(' or ')}`;
      }
      case 'required':
        return `${at(key === '' ? e.params.missingProperty : `${key}.${e.params.missingProperty}`)}: required`;
      case 'pattern':
        return `${at(key)}: ${JSON.stringify(valueAt(value, e.instancePath))} does not match ${e.params.pattern}`;
      default:
        return `${at(key)}: ${e.message ?? e.keyword}`;
    }
  });
  return [...new Set(messages)].sort();
}

function valueAt(root: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), root);
}

/** Validates a parsed policy (schema first, then rule ids, reasons and the image policy); every error names the file and the key. */
export function parseConfig(value: unknown, file = 'policy'): HardenedConfig {
  const fail = (key: string, message: string): never => {
    throw new UsageError(`${file}: ${key}: ${message}`);
  };
  if (!isObject(value)) fail('(top level)', 'must be a mapping of settings');
  const errors = schemaErrors(value);
  if (errors.length > 0) throw new UsageError(errors.map((e) => `${file}: ${e}`).join('\n'));
  const raw = value as JsonObject;
  const checkIds = (key: string, ids: unknown): string[] | undefined => {
    if (ids === undefined) return undefined;
    for (const id of ids as string[]) if (!findRule(id)) fail(key, `unknown rule id "${id}" (list the rules with \`cdk8s-hardened rules\`)`);
    return ids as string[];
  };
  // The same bar as a waiver's reason: a relaxation says why.
  const reasonOf = (key: string, reason: unknown): string => {
    const error = reasonError(String(reason).trim());
    if (error) fail(`${key}.reason`, `needs at least ${MIN_WAIVER_REASON_LENGTH} characters on one line saying why (${error})`);
    return String(reason).trim();
  };

  let imagePolicy: ImagePolicySettings | undefined;
  if (raw.imagePolicy !== undefined) {
    try {
      // The supply-chain area owns the policy's meaning: it validates and normalises the values.
      imagePolicy = parseImagePolicy(raw.imagePolicy);
    } catch (e) {
      if (e instanceof ImagePolicyError) throw new UsageError(`${file}: ${e.message}`);
      throw e;
    }
  }
  let namespace: string | undefined;
  if (raw.namespace !== undefined) {
    const error = namespaceNameError(raw.namespace as string);
    if (error) fail('namespace', error);
    namespace = raw.namespace as string;
  }
  let kubernetesVersion: string | undefined;
  if (raw.kubernetesVersion !== undefined) {
    const error = kubernetesVersionError(raw.kubernetesVersion);
    if (error) fail('kubernetesVersion', error);
    kubernetesVersion = (raw.kubernetesVersion as string).trim();
  }
  const lockedRules = checkIds('lockedRules', raw.lockedRules);
  const overrides = (raw.overrides as JsonObject[] | undefined)?.map((o, i): RuleOverride => {
    const key = `overrides[${i}]`;
    checkIds(`${key}.ruleId`, [o.ruleId]);
    if (o.severity === undefined && o.disable !== true) fail(key, 'changes nothing: give a severity or disable: true');
    if (o.severity !== undefined && o.disable === true) fail(key, 'a disabled rule has no severity: give one of severity or disable: true');
    if (lockedRules?.includes(o.ruleId as string) && o.disable === true) fail(key, `${String(o.ruleId)} is in lockedRules: a locked rule cannot be disabled`);
    const reason = reasonOf(key, o.reason);
    return {
      ruleId: o.ruleId as string,
      ...(o.severity !== undefined ? { severity: parseSeverity(o.severity as string)! } : {}),
      ...(o.disable === true ? { disable: true } : {}),
      reason,
    };
  });
  if (overrides) {
    const ids = overrides.map((o) => o.ruleId);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) fail('overrides', `${twice} is overridden twice: keep one entry per rule`);
  }
  const grants = (raw.grants as JsonObject[] | undefined)?.map((g, i): PolicyGrant => {
    const key = `grants[${i}]`;
    const disable = checkIds(`${key}.disable`, g.disable);
    if (g.level !== 'baseline' && (disable ?? []).length === 0) fail(key, 'grants nothing: give level: baseline or rules to disable');
    for (const id of disable ?? []) if (lockedRules?.includes(id)) fail(`${key}.disable`, `${id} is in lockedRules: a locked rule cannot be granted away`);
    const reason = reasonOf(key, g.reason);
    return {
      name: g.name as string,
      namespace: g.namespace as string,
      ...(g.path !== undefined ? { path: g.path as string } : {}),
      ...(g.level !== undefined ? { level: g.level as Level } : {}),
      ...(disable ? { disable } : {}),
      reason,
    };
  });
  if (grants) {
    const names = grants.map((g) => g.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) fail('grants', `two grants are named ${twice}: grant names must be unique`);
  }
  const waivers = raw.waivers as JsonObject | undefined;
  if (waivers?.strictRules !== undefined) checkIds('waivers.strictRules', waivers.strictRules);
  return {
    ...(raw.level !== undefined ? { level: raw.level as Level } : {}),
    ...(raw.minSeverity !== undefined ? { minSeverity: parseSeverity(raw.minSeverity as string) } : {}),
    ...(raw.waivable !== undefined ? { waivable: checkWaivable(raw.waivable as WaiverPolicy, fail) } : {}),
    ...(raw.rules !== undefined ? { rules: checkIds('rules', raw.rules) } : {}),
    ...(raw.skip !== undefined ? { skip: checkIds('skip', raw.skip) } : {}),
    ...(overrides ? { overrides } : {}),
    ...(lockedRules ? { lockedRules } : {}),
    ...(raw.exemptions !== undefined ? { exemptions: parseExemptions(raw.exemptions as JsonObject[], fail) } : {}),
    ...(grants ? { grants } : {}),
    ...(imagePolicy ? { imagePolicy } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
    ...(raw.vulnerabilitySeverity !== undefined ? { vulnerabilitySeverity: parseSeverity(raw.vulnerabilitySeverity as string) } : {}),
    ...(raw.externalNamespaces !== undefined ? { externalNamespaces: checkedNamespaces(raw.externalNamespaces as string[], fail) } : {}),
    ...(raw.partial !== undefined ? { partial: raw.partial as boolean } : {}),
    ...(waivers !== undefined ? { waiverGovernance: parseGovernance(waivers, fail) } : {}),
    ...(raw.peerExemptions !== undefined ? { peerExemptions: raw.peerExemptions as boolean } : {}),
  };
}

function checkedNamespaces(names: string[], fail: (key: string, message: string) => never): string[] {
  const error = externalNamespacesError(names);
  if (error) fail('externalNamespaces', error);
  return names;
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

/** `waivable`: the schema checked the shape; the rule ids and host-access limits are checked here. */
function checkWaivable(policy: WaiverPolicy, fail: (key: string, message: string) => never): WaiverPolicy {
  const errors = waiverPolicyErrors(policy, (id) => findRule(id) !== undefined);
  if (errors.length > 0) fail('waivable', errors.join('; '));
  return policy;
}

/** `waivers: {requireExpiry, requireOwner, requireTicket, maxLifetimeDays, strictRules, unused}`. */
export function parseGovernance(value: JsonObject, fail: (key: string, message: string) => never): WaiverGovernance {
  // The schema has checked the keys and their types; what it cannot know is the catalog and how the bounds combine.
  const errors = waiverGovernanceErrors(value as WaiverGovernance, (id) => findRule(id) !== undefined);
  if (errors.length > 0) {
    const key = errors[0].split(' ')[0];
    fail(key, errors.map((e) => e.slice(e.indexOf(' ') + 1)).join('; '));
  }
  return value as WaiverGovernance;
}

/** A selector value that matches every string (`*`, `**`, ...), or no value at all. */
function matchesEverything(pattern: unknown): boolean {
  return pattern === undefined || (typeof pattern === 'string' && /^\*+$/.test(pattern));
}

/** `exemptions:` (the schema has checked their shape): reasons, rule ids and blanket selectors are checked here. */
function parseExemptions(value: JsonObject[], fail: (key: string, message: string) => never): Exemption[] {
  return value.map((entry, i) => {
    const key = `exemptions[${i}]`;
    const error = waiverError({ ruleId: entry.ruleId, reason: entry.reason }, (id) => findRule(id) !== undefined);
    if (error) fail(key, error);
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
  /** `--external-namespaces`: added to the config's externalNamespaces. */
  readonly externalNamespaces?: readonly string[];
  /** `--partial`: turns the config's partial on. */
  readonly partial?: boolean;
  /** `--peer-exemptions`: read peer tools' exemption annotations (or the config's peerExemptions). */
  readonly peerExemptions?: boolean;
  /** `--today`: the day waiver expiry is judged on. @default - $CDK8S_HARDENED_TODAY, else today */
  readonly today?: string;
}

/**
 * The team grants as exemptions of their namespace (one per relaxed rule): the CLI applies them after the run,
 * admission reads them from its params, synth from the policy, so every judge relaxes the same objects.
 * Locked rules are never granted away (a level grant leaves them judged).
 */
export function grantExemptions(config: HardenedConfig): Exemption[] {
  const locked = new Set(config.lockedRules ?? []);
  return (config.grants ?? []).flatMap((g) => {
    const ids = [...new Set([...(g.level === 'baseline' ? restrictedOnlyRuleIds() : []), ...(g.disable ?? [])])].filter((id) => !locked.has(id));
    return ids.map((ruleId) => ({ ruleId, namespace: g.namespace, reason: `policy grant ${g.name}: ${g.reason}`, grant: g.name }));
  });
}

/** Every exemption of the policy: the written ones, then the grants'. */
export function policyExemptions(config: HardenedConfig): Exemption[] {
  return [...(config.exemptions ?? []), ...grantExemptions(config)];
}

/** Engine options from the policy and the flags. */
export function engineOptions(config: HardenedConfig, flags: RunFlags): EngineOptions {
  const kubernetesVersion = flags.kubernetesVersion ?? config.kubernetesVersion;
  const settings: RuleSettings = {
    ...(config.imagePolicy ? { imagePolicy: config.imagePolicy } : {}),
    ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
    ...(config.vulnerabilitySeverity ? { vulnerabilitySeverity: config.vulnerabilitySeverity } : {}),
  };
  const disabled = (config.overrides ?? []).filter((o) => o.disable).map((o) => o.ruleId);
  const catalog = overriddenCatalog(config.overrides);
  return {
    level: flags.level ?? config.level,
    minSeverity: flags.minSeverity ?? config.minSeverity,
    rules: union(config.rules, flags.rules),
    skip: union(disabled.length > 0 ? union(config.skip, disabled) : config.skip, flags.skip),
    lockedRules: config.lockedRules,
    settings,
    ...externalOption(union(config.externalNamespaces, flags.externalNamespaces)),
    ...(flags.partial || config.partial ? { partial: true } : {}),
    ...(config.waivable ? { waiverPolicy: config.waivable } : {}),
    ...(catalog ? { catalog } : {}),
    ...(config.waiverGovernance ? { waiverGovernance: config.waiverGovernance } : {}),
    ...(flags.today !== undefined ? { today: flags.today } : {}),
    ...((flags.peerExemptions ?? config.peerExemptions) ? { peerExemptions: true } : {}),
  };
}

/** `*` anywhere means every namespace, whatever else the config and the flag name. */
function externalOption(names: string[] | undefined): Pick<EngineOptions, 'externalNamespaces'> {
  if (!names || names.length === 0) return {};
  return { externalNamespaces: names.includes('*') ? ['*'] : names.sort() };
}

// One catalog array per overrides list: the engine caches what it computes per catalog identity.
const overridden = new WeakMap<readonly RuleOverride[], readonly Rule[]>();

/** The catalog with the policy's severities, or undefined when the policy changes none. */
export function overriddenCatalog(overrides: readonly RuleOverride[] | undefined): readonly Rule[] | undefined {
  const changed = (overrides ?? []).filter((o) => o.severity !== undefined);
  if (!overrides || changed.length === 0) return undefined;
  let catalog = overridden.get(overrides);
  if (!catalog) {
    const severity = new Map(changed.map((o) => [o.ruleId, o.severity!]));
    catalog = Object.freeze(ALL_RULES.map((r) => (severity.has(r.id) ? { ...r, severity: severity.get(r.id)! } : r)));
    overridden.set(overrides, catalog);
  }
  return catalog;
}

function union(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] | undefined {
  if (!a && !b) return undefined;
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}
