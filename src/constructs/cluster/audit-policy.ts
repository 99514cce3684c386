import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { findSensitiveLogging, formatResource, ruleMatchExtent, SENSITIVE_AUDIT_RESOURCES, SensitiveResource } from '../../analysis/cluster/audit-analysis';
import { AuditGroupResources, AuditLevel, AuditPolicyRule, IAuditRuleSource } from '../../analysis/cluster/audit-rule';
import { ClusterFile, TracedSetting } from '../../analysis/cluster/traced-setting';
import { addToGroup } from '../../core/group-by';

/** Catalog rule that the policy's own check enforces (the same check judges hand-written policies). */
const SECRETS_RULE_ID = 'cluster-audit-secrets-metadata-only';

/** Properties of an AuditPolicy. */
export interface AuditPolicyProps {
  /**
   * `metadata.name` of the Policy (informational: the API server reads the file, not the name).
   * @default 'hardened-audit-policy'
   */
  readonly name?: string;
  /** Constructs that know what of their activity to audit (e.g. AuditedServiceAccount). More with `addSource`. @default - none */
  readonly sources?: IAuditRuleSource[];
  /** Further rules of the operator, placed after the sources' rules. More with `addRules`. @default - none */
  readonly rules?: AuditPolicyRule[];
  /** Further resources whose bodies must never be logged (e.g. a CRD holding credentials); recorded at Metadata only. @default - none */
  readonly sensitiveResources?: AuditGroupResources[];
  /**
   * Users whose every request is recorded with bodies (RequestResponse): break-glass admins and identities
   * allowed to impersonate. The API server evaluates the policy against the authenticated user, so requests
   * sent with Impersonate-* headers are recorded at the level of the impersonator's rules.
   * @default - none
   */
  readonly highRiskUsers?: string[];
  /**
   * Groups whose every request is recorded with bodies (see highRiskUsers).
   * @default ['system:masters']
   */
  readonly highRiskGroups?: string[];
  /**
   * Level of every request no earlier rule matched. `None` is rejected: it would leave most of the API unaudited.
   * @default AuditLevel.METADATA
   */
  readonly defaultLevel?: AuditLevel;
}

/** Resources written through the API whose request bodies detection rules (Falco k8saudit) inspect. */
const WORKLOAD_WRITE_RESOURCES: AuditGroupResources[] = [
  { group: '', resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers'] },
  { group: 'apps', resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'] },
  { group: 'batch', resources: ['jobs', 'cronjobs'] },
  { group: 'admissionregistration.k8s.io', resources: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'] },
  { group: 'certificates.k8s.io', resources: ['certificatesigningrequests/approval'] },
];

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** High-volume, read-only traffic of system components: recorded at None. */
const NOISE_RULES: AuditPolicyRule[] = [
  {
    level: AuditLevel.NONE,
    users: ['system:kube-proxy'],
    verbs: ['watch'],
    resources: [
      { group: '', resources: ['endpoints', 'services', 'services/status'] },
      { group: 'discovery.k8s.io', resources: ['endpointslices'] },
    ],
  },
  { level: AuditLevel.NONE, userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
  {
    level: AuditLevel.NONE,
    users: ['system:kube-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:endpoint-controller'],
    verbs: ['get', 'update'],
    namespaces: ['kube-system'],
    resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }, { group: '', resources: ['endpoints'] }],
  },
  { level: AuditLevel.NONE, users: ['system:apiserver'], verbs: ['get'], resources: [{ group: '', resources: ['namespaces', 'namespaces/status', 'namespaces/finalize'] }] },
  { level: AuditLevel.NONE, nonResourceUrls: ['/healthz*', '/livez*', '/readyz*', '/version', '/version/'] },
];

/**
 * The API server's audit Policy (audit.k8s.io/v1), the file passed as `--audit-policy-file`.
 *
 * Rules are ordered for first-match-wins evaluation:
 * 1. None for read-only noise of system components and health probes (plus `addNoiseRules`);
 * 2. Metadata for Secrets, ConfigMaps, TokenReviews, ServiceAccount token requests and `sensitiveResources`,
 *    so no later rule can record their bodies;
 * 3. the rules of the sources (in the order added), then the operator's rules;
 * 4. RequestResponse for RBAC changes, exec/attach/port-forward, and every request of the high-risk identities;
 * 5. Request for writes of workloads, admission configuration and CSR approvals (their bodies are what
 *    detection rules inspect);
 * 6. the default level (Metadata) for everything else.
 * Stage RequestReceived is omitted (each request is recorded once it has a response).
 *
 * A contributed rule that names a sensitive resource at a level other than Metadata fails synthesis
 * (rule `cluster-audit-secrets-metadata-only`): it could only be shadowed by step 2, and silently ignoring it
 * would hide a mistake. Contributed rules at level None are rejected too: dropping events belongs in
 * `addNoiseRules`, where it is reviewed as such.
 */
export class AuditPolicy extends Construct {
  /** Where the installation guide puts the file (`--audit-policy-file`). */
  public static readonly POLICY_FILE = '/etc/kubernetes/audit/policy.yaml';

  /** What the policy sets, with the CIS items it satisfies (for docs/cis-coverage.md). */
  public static settings(): TracedSetting[] {
    const file = ClusterFile.AUDIT_POLICY;
    const component = 'kube-apiserver';
    return [
      { file, component, setting: 'rules (catch-all)', value: 'Metadata for every request no earlier rule names', cis: ['3.2.1'], reason: 'Every request is attributable (who, when, verb, resource) without storing bodies.' },
      { file, component, setting: 'rules (Secrets, ConfigMaps, TokenReviews, serviceaccounts/token)', value: 'Metadata, ordered before every contributed rule', cis: ['3.2.2'], reason: 'Their bodies carry credentials and configuration values; the audit log must never become a copy of them.' },
      { file, component, setting: 'rules (RBAC, exec/attach/port-forward/proxy, high-risk identities)', value: 'RequestResponse', cis: ['3.2.2'], reason: 'Privilege changes and interactive access to pods and nodes are what an investigation reconstructs first.' },
      { file, component, setting: 'rules (workload, admission, CSR approval writes)', value: 'Request', cis: ['3.2.2'], reason: 'Detection of privileged pods and tampered admission needs the request body.' },
      { file, component, setting: 'rules (health, leases, kube-proxy watches)', value: 'None', cis: [], reason: 'High-volume read-only system traffic would drown the events that matter and fill the log.' },
      { file, component, setting: 'omitStages', value: 'RequestReceived', cis: [], reason: 'Each request is recorded once with its response code instead of twice.' },
    ];
  }

  /** The synthesized Policy. */
  public readonly apiObject: ApiObject;
  private readonly sources: IAuditRuleSource[] = [];
  private readonly extraRules: AuditPolicyRule[] = [];
  private readonly noiseRules: AuditPolicyRule[] = [];
  private readonly sensitiveResources: AuditGroupResources[];
  private readonly highRiskUsers: string[];
  private readonly highRiskGroups: string[];
  private readonly defaultLevel: AuditLevel;

  public constructor(scope: Construct, id: string, props: AuditPolicyProps = {}) {
    super(scope, id);
    this.sensitiveResources = [...(props.sensitiveResources ?? [])];
    this.highRiskUsers = [...(props.highRiskUsers ?? [])];
    this.highRiskGroups = [...(props.highRiskGroups ?? ['system:masters'])];
    this.defaultLevel = props.defaultLevel ?? AuditLevel.METADATA;
    if (this.defaultLevel === AuditLevel.NONE) {
      throw new Error(`${this.node.path}: defaultLevel None would leave every request no rule names unaudited (CIS 3.2.1); use Metadata or higher`);
    }
    for (const source of props.sources ?? []) this.addSource(source);
    this.addRules(...(props.rules ?? []));

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      metadata: { name: props.name ?? 'hardened-audit-policy' },
      omitStages: ['RequestReceived'],
      // Checked here as well as in the validation, so paths that skip validations (Testing.synth) fail too.
      rules: Lazy.any({
        produce: () => {
          const errors = this.validatePolicy();
          if (errors.length > 0) throw new Error(errors.join('\n'));
          return this.rules.map(toPolicyJson);
        },
      }),
    });
    this.node.addValidation({ validate: () => this.validatePolicy() });
  }

  /** Adds the rules of a construct that knows what of its activity to audit. */
  public addSource(source: IAuditRuleSource): void {
    this.sources.push(source);
  }

  /** Adds operator rules, placed after the sources' rules. */
  public addRules(...rules: AuditPolicyRule[]): void {
    this.extraRules.push(...rules);
  }

  /** Adds rules at level None for high-volume traffic the operator does not want recorded. */
  public addNoiseRules(...rules: AuditPolicyRule[]): void {
    for (const rule of rules) {
      if (rule.level !== AuditLevel.NONE) {
        throw new Error(`${this.node.path}: addNoiseRules takes rules at level None only (got ${rule.level}); use addRules for other levels`);
      }
    }
    this.noiseRules.push(...rules);
  }

  /** The resources recorded at Metadata at most (built-in plus `sensitiveResources`). */
  private get sensitiveResourceList(): SensitiveResource[] {
    const extra = this.sensitiveResources.flatMap((g) => (g.resources ?? ['*']).map((resource) => ({ group: g.group, resource })));
    return [...SENSITIVE_AUDIT_RESOURCES, ...extra];
  }

  /** Every rule of the policy, in evaluation order. */
  public get rules(): AuditPolicyRule[] {
    const capGroups = new Map<string, string[]>();
    for (const r of this.sensitiveResourceList) addToGroup(capGroups, r.group, r.resource);
    const cap: AuditPolicyRule = {
      level: AuditLevel.METADATA,
      resources: [...capGroups.entries()].map(([group, resources]) => ({ group, resources })),
    };
    const highRisk: AuditPolicyRule[] = [];
    if (this.highRiskUsers.length > 0) highRisk.push({ level: AuditLevel.REQUEST_RESPONSE, users: this.highRiskUsers });
    if (this.highRiskGroups.length > 0) highRisk.push({ level: AuditLevel.REQUEST_RESPONSE, userGroups: this.highRiskGroups });
    return [
      ...NOISE_RULES,
      ...this.noiseRules,
      cap,
      ...this.contributedRules(),
      {
        level: AuditLevel.REQUEST_RESPONSE,
        verbs: WRITE_VERBS,
        resources: [{ group: 'rbac.authorization.k8s.io', resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] }],
      },
      { level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/proxy', 'nodes/proxy', 'services/proxy'] }] },
      ...highRisk,
      { level: AuditLevel.REQUEST, verbs: WRITE_VERBS, resources: WORKLOAD_WRITE_RESOURCES },
      { level: this.defaultLevel },
    ];
  }

  private contributedRules(): AuditPolicyRule[] {
    return [...this.sources.flatMap((s) => s.auditPolicyRules()), ...this.extraRules];
  }

  private validatePolicy(): string[] {
    const errors: string[] = [];
    const sensitive = this.sensitiveResourceList;
    const check = (rules: AuditPolicyRule[], origin: string) => {
      rules.forEach((rule, i) => {
        errors.push(...ruleShapeErrors(rule).map((e) => `${this.node.path}: ${origin} rule ${i}: ${e}`));
        for (const resource of sensitive) {
          const { explicit } = ruleMatchExtent(toPolicyJson(rule), resource);
          if (explicit && rule.level !== AuditLevel.METADATA) {
            errors.push(
              `${this.node.path}: ${origin} rule ${i} records ${formatResource(resource)} at ${rule.level} [${SECRETS_RULE_ID}]: ` +
                `${formatResource(resource)} is recorded at Metadata only, before any contributed rule; remove it from the rule or set the level to Metadata`,
            );
          }
        }
      });
    };
    check(this.noiseRules, 'noise');
    const contributed = this.contributedRules();
    check(contributed, 'contributed');
    contributed.forEach((rule, i) => {
      if (rule.level === AuditLevel.NONE) {
        errors.push(`${this.node.path}: contributed rule ${i} drops events (level None); put rules that drop traffic in addNoiseRules so they are reviewed as such`);
      }
    });
    // The whole policy must pass the same first-match analysis the catalog rule applies to hand-written files.
    for (const v of findSensitiveLogging(this.rules.map(toPolicyJson), sensitive)) {
      errors.push(`${this.node.path}: rule ${v.ruleIndex} could record ${formatResource(v.resource)} at ${v.level} [${SECRETS_RULE_ID}]`);
    }
    return [...new Set(errors)];
  }
}

function ruleShapeErrors(rule: AuditPolicyRule): string[] {
  const errors: string[] = [];
  if (!Object.values(AuditLevel).includes(rule.level)) errors.push(`unknown level "${String(rule.level)}"`);
  if (rule.nonResourceUrls?.length && rule.resources?.length) errors.push('a rule matches either resources or nonResourceUrls, not both');
  const { users, userGroups, verbs, namespaces, nonResourceUrls } = rule;
  const lists = { users, userGroups, verbs, namespaces, nonResourceUrls };
  for (const [field, values] of Object.entries(lists)) {
    if (values?.some((v) => typeof v !== 'string' || v.trim() === '')) errors.push(`${field} holds an empty entry`);
  }
  return errors;
}

/** The rule as the API server reads it (`nonResourceURLs`, no empty fields). */
export function toPolicyJson(rule: AuditPolicyRule): Record<string, unknown> {
  const out: Record<string, unknown> = { level: rule.level };
  const lists: Array<[string, string[] | undefined]> = [
    ['users', rule.users],
    ['userGroups', rule.userGroups],
    ['verbs', rule.verbs],
    ['namespaces', rule.namespaces],
    ['nonResourceURLs', rule.nonResourceUrls],
    ['omitStages', rule.omitStages],
  ];
  for (const [key, value] of lists) if (value && value.length > 0) out[key] = [...value];
  if (rule.resources && rule.resources.length > 0) {
    out.resources = rule.resources.map((g) => {
      const entry: Record<string, unknown> = { group: g.group };
      if (g.resources && g.resources.length > 0) entry.resources = [...g.resources];
      if (g.resourceNames && g.resourceNames.length > 0) entry.resourceNames = [...g.resourceNames];
      return entry;
    });
  }
  return out;
}
