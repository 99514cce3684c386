/**
 * The CIS Kubernetes Benchmark items this library traces its settings and rules to. Every item number in the
 * code (rule references, settings tables) is written in one version's numbering so that it means one thing:
 * v1.10.0 (kube-bench profile `cis-1.10`). Items a later version adds (1.2.30, 4.2.14 in v1.11+) are named in
 * the settings tables as `cis112Only` and on rules as `references.cisLater`. CIS_BENCHMARK_VERSIONS maps every number
 * to v1.12.0 (`cis-1.12`, which kube-bench's version map assigns to Kubernetes 1.32 to 1.34); docs/cis-coverage.md is
 * generated per version, and cisReferencesByVersion gives a rule's items in every version for the catalog and SARIF.
 *
 * Item numbers and titles are facts taken from the benchmark as kube-bench encodes it; the library's own
 * reasons live beside each setting (see cis-settings.ts), never here.
 */

/** What every settings-table row (control plane, kubelet) carries: the rule that reports it, its CIS items and why. */
export interface CisSettingRow {
  /** The catalog rule that reports this row. */
  readonly ruleId: string;
  /** CIS items (v1.10 numbering, the same in v1.12). */
  readonly cis: readonly string[];
  /** Items only v1.11+ numbers (kube-bench `cis-1.12`). */
  readonly cis112Only?: readonly string[];
  /** The secure value or predicate, for docs. */
  readonly secure: string;
  /** Why: the attack the setting prevents. */
  readonly reason: string;
}

/** The benchmark version every CIS id in this library refers to. */
export const CIS_BENCHMARK = {
  name: 'CIS Kubernetes Benchmark',
  version: 'v1.10.0',
  kubeBenchProfile: 'cis-1.10',
  kubernetesVersions: '1.28',
} as const;

/** Whether the benchmark expects a tool (Automated) or a person (Manual) to assess the item. */
export type CisAssessment = 'automated' | 'manual';

/** One recommendation of the benchmark. */
export interface CisItem {
  /** Section number (`1.2.16`). */
  readonly id: string;
  /** The recommendation's title, without the assessment suffix. */
  readonly title: string;
  readonly assessment: CisAssessment;
}

/** Sections of the benchmark this library reports on (control plane, etcd, control plane configuration, worker nodes, policies). */
export const CIS_SECTIONS: ReadonlyArray<{ readonly id: string; readonly title: string }> = [
  { id: '1.1', title: 'Control Plane Node Configuration Files' },
  { id: '1.2', title: 'API Server' },
  { id: '1.3', title: 'Controller Manager' },
  { id: '1.4', title: 'Scheduler' },
  { id: '2', title: 'Etcd Node Configuration' },
  { id: '3.1', title: 'Authentication and Authorization' },
  { id: '3.2', title: 'Logging' },
  { id: '4.1', title: 'Worker Node Configuration Files' },
  { id: '4.2', title: 'Kubelet' },
  { id: '4.3', title: 'kube-proxy' },
  { id: '5.1', title: 'RBAC and Service Accounts' },
  { id: '5.2', title: 'Pod Security Standards' },
  { id: '5.3', title: 'Network Policies and CNI' },
  { id: '5.4', title: 'Secrets Management' },
  { id: '5.5', title: 'Extensible Admission Control' },
  { id: '5.7', title: 'General Policies' },
];

/** Every item of sections 1 to 5, in benchmark order. */
export const CIS_ITEMS: readonly CisItem[] = [
  { id: '1.1.1', title: 'Ensure that the API server pod specification file permissions are set to 600 or more restrictive', assessment: 'automated' },
  { id: '1.1.2', title: 'Ensure that the API server pod specification file ownership is set to root:root', assessment: 'automated' },
  { id: '1.1.3', title: 'Ensure that the controller manager pod specification file permissions are set to 600 or more restrictive', assessment: 'automated' },
  { id: '1.1.4', title: 'Ensure that the controller manager pod specification file ownership is set to root:root', assessment: 'automated' },
  { id: '1.1.5', title: 'Ensure that the scheduler pod specification file permissions are set to 600 or more restrictive', assessment: 'automated' },
  { id: '1.1.6', title: 'Ensure that the scheduler pod specification file ownership is set to root:root', assessment: 'automated' },
  { id: '1.1.7', title: 'Ensure that the etcd pod specification file permissions are set to 600 or more restrictive', assessment: 'automated' },
  { id: '1.1.8', title: 'Ensure that the etcd pod specification file ownership is set to root:root', assessment: 'automated' },
  { id: '1.1.9', title: 'Ensure that the Container Network Interface file permissions are set to 600 or more restrictive', assessment: 'manual' },
  { id: '1.1.10', title: 'Ensure that the Container Network Interface file ownership is set to root:root', assessment: 'manual' },
  { id: '1.1.11', title: 'Ensure that the etcd data directory permissions are set to 700 or more restrictive', assessment: 'automated' },
  { id: '1.1.12', title: 'Ensure that the etcd data directory ownership is set to etcd:etcd', assessment: 'automated' },
  { id: '1.1.13', title: 'Ensure that the default administrative credential file permissions are set to 600', assessment: 'automated' },
  { id: '1.1.14', title: 'Ensure that the default administrative credential file ownership is set to root:root', assessment: 'automated' },
  { id: '1.1.15', title: 'Ensure that the scheduler.conf file permissions are set to 600 or more restrictive', assessment: 'automated' },
  { id: '1.1.16', title: 'Ensure that the scheduler.conf file ownership is set to root:root', assessment: 'automated' },
  { id: '1.1.17', title: 'Ensure that the controller-manager.conf file permissions are set to 600 or more restrictive', assessment: 'automated' },
  { id: '1.1.18', title: 'Ensure that the controller-manager.conf file ownership is set to root:root', assessment: 'automated' },
  { id: '1.1.19', title: 'Ensure that the Kubernetes PKI directory and file ownership is set to root:root', assessment: 'automated' },
  { id: '1.1.20', title: 'Ensure that the Kubernetes PKI certificate file permissions are set to 600 or more restrictive', assessment: 'manual' },
  { id: '1.1.21', title: 'Ensure that the Kubernetes PKI key file permissions are set to 600', assessment: 'manual' },
  { id: '1.2.1', title: 'Ensure that the --anonymous-auth argument is set to false', assessment: 'manual' },
  { id: '1.2.2', title: 'Ensure that the --token-auth-file parameter is not set', assessment: 'automated' },
  { id: '1.2.3', title: 'Ensure that the --DenyServiceExternalIPs is set', assessment: 'manual' },
  { id: '1.2.4', title: 'Ensure that the --kubelet-client-certificate and --kubelet-client-key arguments are set as appropriate', assessment: 'automated' },
  { id: '1.2.5', title: 'Ensure that the --kubelet-certificate-authority argument is set as appropriate', assessment: 'automated' },
  { id: '1.2.6', title: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow', assessment: 'automated' },
  { id: '1.2.7', title: 'Ensure that the --authorization-mode argument includes Node', assessment: 'automated' },
  { id: '1.2.8', title: 'Ensure that the --authorization-mode argument includes RBAC', assessment: 'automated' },
  { id: '1.2.9', title: 'Ensure that the admission control plugin EventRateLimit is set', assessment: 'manual' },
  { id: '1.2.10', title: 'Ensure that the admission control plugin AlwaysAdmit is not set', assessment: 'automated' },
  { id: '1.2.11', title: 'Ensure that the admission control plugin AlwaysPullImages is set', assessment: 'manual' },
  { id: '1.2.12', title: 'Ensure that the admission control plugin ServiceAccount is set', assessment: 'automated' },
  { id: '1.2.13', title: 'Ensure that the admission control plugin NamespaceLifecycle is set', assessment: 'automated' },
  { id: '1.2.14', title: 'Ensure that the admission control plugin NodeRestriction is set', assessment: 'automated' },
  { id: '1.2.15', title: 'Ensure that the --profiling argument is set to false', assessment: 'automated' },
  { id: '1.2.16', title: 'Ensure that the --audit-log-path argument is set', assessment: 'automated' },
  { id: '1.2.17', title: 'Ensure that the --audit-log-maxage argument is set to 30 or as appropriate', assessment: 'automated' },
  { id: '1.2.18', title: 'Ensure that the --audit-log-maxbackup argument is set to 10 or as appropriate', assessment: 'automated' },
  { id: '1.2.19', title: 'Ensure that the --audit-log-maxsize argument is set to 100 or as appropriate', assessment: 'automated' },
  { id: '1.2.20', title: 'Ensure that the --request-timeout argument is set as appropriate', assessment: 'manual' },
  { id: '1.2.21', title: 'Ensure that the --service-account-lookup argument is set to true', assessment: 'automated' },
  { id: '1.2.22', title: 'Ensure that the --service-account-key-file argument is set as appropriate', assessment: 'automated' },
  { id: '1.2.23', title: 'Ensure that the --etcd-certfile and --etcd-keyfile arguments are set as appropriate', assessment: 'automated' },
  { id: '1.2.24', title: 'Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate', assessment: 'automated' },
  { id: '1.2.25', title: 'Ensure that the --client-ca-file argument is set as appropriate', assessment: 'automated' },
  { id: '1.2.26', title: 'Ensure that the --etcd-cafile argument is set as appropriate', assessment: 'automated' },
  { id: '1.2.27', title: 'Ensure that the --encryption-provider-config argument is set as appropriate', assessment: 'manual' },
  { id: '1.2.28', title: 'Ensure that encryption providers are appropriately configured', assessment: 'manual' },
  { id: '1.2.29', title: 'Ensure that the API Server only makes use of Strong Cryptographic Ciphers', assessment: 'manual' },
  { id: '1.3.1', title: 'Ensure that the --terminated-pod-gc-threshold argument is set as appropriate', assessment: 'manual' },
  { id: '1.3.2', title: 'Ensure that the --profiling argument is set to false', assessment: 'automated' },
  { id: '1.3.3', title: 'Ensure that the --use-service-account-credentials argument is set to true', assessment: 'automated' },
  { id: '1.3.4', title: 'Ensure that the --service-account-private-key-file argument is set as appropriate', assessment: 'automated' },
  { id: '1.3.5', title: 'Ensure that the --root-ca-file argument is set as appropriate', assessment: 'automated' },
  { id: '1.3.6', title: 'Ensure that the RotateKubeletServerCertificate argument is set to true', assessment: 'automated' },
  { id: '1.3.7', title: 'Ensure that the --bind-address argument is set to 127.0.0.1', assessment: 'automated' },
  { id: '1.4.1', title: 'Ensure that the --profiling argument is set to false', assessment: 'automated' },
  { id: '1.4.2', title: 'Ensure that the --bind-address argument is set to 127.0.0.1', assessment: 'automated' },
  { id: '2.1', title: 'Ensure that the --cert-file and --key-file arguments are set as appropriate', assessment: 'automated' },
  { id: '2.2', title: 'Ensure that the --client-cert-auth argument is set to true', assessment: 'automated' },
  { id: '2.3', title: 'Ensure that the --auto-tls argument is not set to true', assessment: 'automated' },
  { id: '2.4', title: 'Ensure that the --peer-cert-file and --peer-key-file arguments are set as appropriate', assessment: 'automated' },
  { id: '2.5', title: 'Ensure that the --peer-client-cert-auth argument is set to true', assessment: 'automated' },
  { id: '2.6', title: 'Ensure that the --peer-auto-tls argument is not set to true', assessment: 'automated' },
  { id: '2.7', title: 'Ensure that a unique Certificate Authority is used for etcd', assessment: 'manual' },
  { id: '3.1.1', title: 'Client certificate authentication should not be used for users', assessment: 'manual' },
  { id: '3.1.2', title: 'Service account token authentication should not be used for users', assessment: 'manual' },
  { id: '3.1.3', title: 'Bootstrap token authentication should not be used for users', assessment: 'manual' },
  { id: '3.2.1', title: 'Ensure that a minimal audit policy is created', assessment: 'manual' },
  { id: '3.2.2', title: 'Ensure that the audit policy covers key security concerns', assessment: 'manual' },
  { id: '4.1.1', title: 'Ensure that the kubelet service file permissions are set to 600 or more restrictive', assessment: 'automated' },
  { id: '4.1.2', title: 'Ensure that the kubelet service file ownership is set to root:root', assessment: 'automated' },
  { id: '4.1.3', title: 'If proxy kubeconfig file exists ensure permissions are set to 600 or more restrictive', assessment: 'manual' },
  { id: '4.1.4', title: 'If proxy kubeconfig file exists ensure ownership is set to root:root', assessment: 'manual' },
  { id: '4.1.5', title: 'Ensure that the --kubeconfig kubelet.conf file permissions are set to 600 or more restrictive', assessment: 'automated' },
  { id: '4.1.6', title: 'Ensure that the --kubeconfig kubelet.conf file ownership is set to root:root', assessment: 'automated' },
  { id: '4.1.7', title: 'Ensure that the certificate authorities file permissions are set to 600 or more restrictive', assessment: 'manual' },
  { id: '4.1.8', title: 'Ensure that the client certificate authorities file ownership is set to root:root', assessment: 'manual' },
  { id: '4.1.9', title: 'If the kubelet config.yaml configuration file is being used validate permissions set to 600 or more restrictive', assessment: 'automated' },
  { id: '4.1.10', title: 'If the kubelet config.yaml configuration file is being used validate file ownership is set to root:root', assessment: 'automated' },
  { id: '4.2.1', title: 'Ensure that the --anonymous-auth argument is set to false', assessment: 'automated' },
  { id: '4.2.2', title: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow', assessment: 'automated' },
  { id: '4.2.3', title: 'Ensure that the --client-ca-file argument is set as appropriate', assessment: 'automated' },
  { id: '4.2.4', title: 'Verify that the --read-only-port argument is set to 0', assessment: 'manual' },
  { id: '4.2.5', title: 'Ensure that the --streaming-connection-idle-timeout argument is not set to 0', assessment: 'manual' },
  { id: '4.2.6', title: 'Ensure that the --make-iptables-util-chains argument is set to true', assessment: 'automated' },
  { id: '4.2.7', title: 'Ensure that the --hostname-override argument is not set', assessment: 'manual' },
  { id: '4.2.8', title: 'Ensure that the eventRecordQPS argument is set to a level which ensures appropriate event capture', assessment: 'manual' },
  { id: '4.2.9', title: 'Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate', assessment: 'manual' },
  { id: '4.2.10', title: 'Ensure that the --rotate-certificates argument is not set to false', assessment: 'automated' },
  { id: '4.2.11', title: 'Verify that the RotateKubeletServerCertificate argument is set to true', assessment: 'manual' },
  { id: '4.2.12', title: 'Ensure that the Kubelet only makes use of Strong Cryptographic Ciphers', assessment: 'manual' },
  { id: '4.2.13', title: 'Ensure that a limit is set on pod PIDs', assessment: 'manual' },
  { id: '4.3.1', title: 'Ensure that the kube-proxy metrics service is bound to localhost', assessment: 'automated' },
  { id: '5.1.1', title: 'Ensure that the cluster-admin role is only used where required', assessment: 'automated' },
  { id: '5.1.2', title: 'Minimize access to secrets', assessment: 'automated' },
  { id: '5.1.3', title: 'Minimize wildcard use in Roles and ClusterRoles', assessment: 'automated' },
  { id: '5.1.4', title: 'Minimize access to create pods', assessment: 'automated' },
  { id: '5.1.5', title: 'Ensure that default service accounts are not actively used', assessment: 'automated' },
  { id: '5.1.6', title: 'Ensure that Service Account Tokens are only mounted where necessary', assessment: 'automated' },
  { id: '5.1.7', title: 'Avoid use of system:masters group', assessment: 'manual' },
  { id: '5.1.8', title: 'Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster', assessment: 'manual' },
  { id: '5.1.9', title: 'Minimize access to create persistent volumes', assessment: 'manual' },
  { id: '5.1.10', title: 'Minimize access to the proxy sub-resource of nodes', assessment: 'manual' },
  { id: '5.1.11', title: 'Minimize access to the approval sub-resource of certificatesigningrequests objects', assessment: 'manual' },
  { id: '5.1.12', title: 'Minimize access to webhook configuration objects', assessment: 'manual' },
  { id: '5.1.13', title: 'Minimize access to the service account token creation', assessment: 'manual' },
  { id: '5.2.1', title: 'Ensure that the cluster has at least one active policy control mechanism in place', assessment: 'manual' },
  { id: '5.2.2', title: 'Minimize the admission of privileged containers', assessment: 'manual' },
  { id: '5.2.3', title: 'Minimize the admission of containers wishing to share the host process ID namespace', assessment: 'manual' },
  { id: '5.2.4', title: 'Minimize the admission of containers wishing to share the host IPC namespace', assessment: 'manual' },
  { id: '5.2.5', title: 'Minimize the admission of containers wishing to share the host network namespace', assessment: 'manual' },
  { id: '5.2.6', title: 'Minimize the admission of containers with allowPrivilegeEscalation', assessment: 'manual' },
  { id: '5.2.7', title: 'Minimize the admission of root containers', assessment: 'manual' },
  { id: '5.2.8', title: 'Minimize the admission of containers with the NET_RAW capability', assessment: 'manual' },
  { id: '5.2.9', title: 'Minimize the admission of containers with added capabilities', assessment: 'manual' },
  { id: '5.2.10', title: 'Minimize the admission of containers with capabilities assigned', assessment: 'manual' },
  { id: '5.2.11', title: 'Minimize the admission of Windows HostProcess containers', assessment: 'manual' },
  { id: '5.2.12', title: 'Minimize the admission of HostPath volumes', assessment: 'manual' },
  { id: '5.2.13', title: 'Minimize the admission of containers which use HostPorts', assessment: 'manual' },
  { id: '5.3.1', title: 'Ensure that the CNI in use supports NetworkPolicies', assessment: 'manual' },
  { id: '5.3.2', title: 'Ensure that all Namespaces have NetworkPolicies defined', assessment: 'manual' },
  { id: '5.4.1', title: 'Prefer using Secrets as files over Secrets as environment variables', assessment: 'manual' },
  { id: '5.4.2', title: 'Consider external secret storage', assessment: 'manual' },
  { id: '5.5.1', title: 'Configure Image Provenance using ImagePolicyWebhook admission controller', assessment: 'manual' },
  { id: '5.7.1', title: 'Create administrative boundaries between resources using namespaces', assessment: 'manual' },
  { id: '5.7.2', title: 'Ensure that the seccomp profile is set to docker/default in your Pod definitions', assessment: 'manual' },
  { id: '5.7.3', title: 'Apply SecurityContext to your Pods and Containers', assessment: 'manual' },
  { id: '5.7.4', title: 'The default namespace should not be used', assessment: 'manual' },
];

const BY_ID = new Map(CIS_ITEMS.map((item) => [item.id, item]));

/** The item with that number, or undefined when the benchmark version has none. */
export function findCisItem(id: string): CisItem | undefined {
  return BY_ID.get(id);
}

/** The section an item belongs to (`1.2.16` → `1.2`, `2.3` → `2`). */
export function cisSectionOf(id: string): string {
  if (id.startsWith('2.')) return '2';
  return id.split('.').slice(0, 2).join('.');
}

/** A benchmark version the coverage document is generated for. */
export interface CisBenchmarkVersion {
  readonly version: string;
  /** kube-bench's profile name (cfg/<profile>). */
  readonly kubeBenchProfile: string;
  /** Kubernetes minor versions kube-bench's version map assigns to the profile. */
  readonly kubernetesVersions: string;
  readonly sections: ReadonlyArray<{ readonly id: string; readonly title: string }>;
  readonly items: readonly CisItem[];
  /** True when the version numbers the v1.11+ items (`cis112Only` in the settings tables). */
  readonly numbersLaterItems: boolean;
  /** The item of this version with the meaning of a v1.10 item, or undefined when this version has none. */
  fromV110(id: string): string | undefined;
}

/**
 * v1.12 (kube-bench `cis-1.12`, Kubernetes 1.32 to 1.34) against v1.10: sections 1 to 4 keep their numbers and
 * add 1.2.30 and 4.2.14; section 5.2 drops "added capabilities" (5.2.9) and moves 5.2.10-5.2.13 up by one;
 * General Policies moves from 5.7 to 5.6; 5.1.1-5.1.6 become manual; three titles change.
 */
const V112_RENUMBERED: Readonly<Record<string, string | null>> = {
  '5.2.9': null,
  '5.2.10': '5.2.9',
  '5.2.11': '5.2.10',
  '5.2.12': '5.2.11',
  '5.2.13': '5.2.12',
  '5.7.1': '5.6.1',
  '5.7.2': '5.6.2',
  '5.7.3': '5.6.3',
  '5.7.4': '5.6.4',
};
const V112_TITLES: Readonly<Record<string, string>> = {
  '1.1.20': 'Ensure that the Kubernetes PKI certificate file permissions are set to 644 or more restrictive',
  '4.1.7': 'Ensure that the certificate authorities file permissions are set to 644 or more restrictive',
  '4.2.4': 'Verify that if defined, the --read-only-port argument is set to 0',
};
const V112_MANUAL = ['5.1.1', '5.1.2', '5.1.3', '5.1.4', '5.1.5', '5.1.6'];
const V112_ADDED: readonly CisItem[] = [
  { id: '1.2.30', title: 'Ensure that the --service-account-extend-token-expiration parameter is set to false', assessment: 'automated' },
  { id: '4.2.14', title: 'Ensure that the --seccomp-default parameter is set to true', assessment: 'manual' },
];

function v112FromV110(id: string): string | undefined {
  if (id in V112_RENUMBERED) return V112_RENUMBERED[id] ?? undefined;
  return BY_ID.has(id) ? id : undefined;
}

/** Benchmark order of dotted ids (`1.2.9` before `1.2.10`). */
export function compareCisIds(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
  return 0;
}

const V112_ITEMS: readonly CisItem[] = [
  ...CIS_ITEMS.flatMap((item) => {
    const id = v112FromV110(item.id);
    if (id === undefined) return [];
    return [{ id, title: V112_TITLES[item.id] ?? item.title, assessment: V112_MANUAL.includes(item.id) ? 'manual' as const : item.assessment }];
  }),
  ...V112_ADDED,
].sort((a, b) => compareCisIds(a.id, b.id));

/** The versions docs/cis-coverage.md covers, the one kube-bench maps the targeted Kubernetes versions to first. */
export const CIS_BENCHMARK_VERSIONS: readonly CisBenchmarkVersion[] = [
  {
    version: 'v1.12.0',
    kubeBenchProfile: 'cis-1.12',
    kubernetesVersions: '1.32 to 1.34',
    sections: CIS_SECTIONS.map((s) => (s.id === '5.7' ? { id: '5.6', title: s.title } : s)),
    items: V112_ITEMS,
    numbersLaterItems: true,
    fromV110: v112FromV110,
  },
  {
    version: CIS_BENCHMARK.version,
    kubeBenchProfile: CIS_BENCHMARK.kubeBenchProfile,
    kubernetesVersions: CIS_BENCHMARK.kubernetesVersions,
    sections: CIS_SECTIONS,
    items: CIS_ITEMS,
    numbersLaterItems: false,
    fromV110: (id) => (BY_ID.has(id) ? id : undefined),
  },
];

/** A rule's CIS references as rules write them: v1.10 items, plus items only later versions number. */
export interface CisReferenceFields {
  /** v1.10 items, comma separated (`5.2.8, 5.2.10`). */
  readonly cis?: string;
  /** Items only v1.11+ number, in v1.12 numbering (`1.2.30`). */
  readonly cisLater?: string;
}

/** The items a rule references in one benchmark version. */
export interface CisVersionReference {
  /** `v1.12.0`. */
  readonly version: string;
  /** `1.12`: the short form the catalog and SARIF print. */
  readonly short: string;
  readonly kubeBenchProfile: string;
  /** Items in this version's numbering, in benchmark order. */
  readonly items: readonly string[];
}

/** Splits a comma-separated reference field (`5.2.8, 5.2.10`) into ids. */
export function splitCisIds(field: string | undefined): string[] {
  return (field ?? '').split(/[\s,;]+/).filter((id) => id !== '');
}

/**
 * The items of a rule in every mapped benchmark version (newest first), derived from its v1.10 items through the
 * renumbering tables above, so no rule spells a number twice. A version in which none of the items exists is left out.
 * Throws when a reference names an item the benchmark does not have: a typo must not become a silent gap.
 */
export function cisReferencesByVersion(refs: CisReferenceFields): CisVersionReference[] {
  const v110 = splitCisIds(refs.cis);
  const later = splitCisIds(refs.cisLater);
  for (const id of v110) {
    if (!BY_ID.has(id)) throw new Error(`CIS reference ${id} is not an item of ${CIS_BENCHMARK.name} ${CIS_BENCHMARK.version}: write references.cis in v1.10 numbering (see src/core/cis.ts)`);
  }
  for (const id of later) {
    if (!V112_ADDED.some((item) => item.id === id)) throw new Error(`CIS reference ${id} in references.cisLater is not an item only later benchmark versions add (${V112_ADDED.map((i) => i.id).join(', ')}); v1.10 items belong in references.cis`);
  }
  const out: CisVersionReference[] = [];
  for (const benchmark of CIS_BENCHMARK_VERSIONS) {
    const known = new Set(benchmark.items.map((item) => item.id));
    const ids = [
      ...v110.map((id) => benchmark.fromV110(id)).filter((id): id is string => id !== undefined),
      ...(benchmark.numbersLaterItems ? later.filter((id) => known.has(id)) : []),
    ];
    const items = [...new Set(ids)].sort(compareCisIds);
    if (items.length > 0) out.push({ version: benchmark.version, short: benchmark.version.replace(/^v(\d+\.\d+)\.0$/, '$1'), kubeBenchProfile: benchmark.kubeBenchProfile, items });
  }
  return out;
}

/** `CIS 1.12: 5.1.3 · CIS 1.10: 5.1.3`, or undefined for a rule without CIS references. */
export function formatCisReferences(refs: CisReferenceFields): string | undefined {
  const byVersion = cisReferencesByVersion(refs);
  if (byVersion.length === 0) return undefined;
  return byVersion.map((v) => `CIS ${v.short}: ${v.items.join(', ')}`).join(' · ');
}
