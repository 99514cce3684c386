import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PURPOSE_ANNOTATION } from './audited-service-account';
import { DefaultResources, quantity, registerDefaultResources } from './default-resources';
import { ImageTrust } from './image-trust';
import { PodSecurityLevel } from './pod-security-level';
import { guardSynthYaml } from './synth-yaml';
import { requireWaiver, validateWaivers, waiverMetadata } from './waivers';
import { NAMESPACE_NAME_LABEL } from '../analysis/network/reachability';
import type { Waiver } from '../core/types';
import { WAIVERS_ANNOTATION } from '../core/waivers';

/** The rule a DNS namespace other than kube-system needs a waiver for. */
const DNS_RULE = 'net-dns-egress-namespace';
/** The rule opting out of signature verification needs a waiver for. */
const SIGNATURE_RULE = 'ns-signature-verification';
import { isFullRestrictedVersion, MIN_FULL_RESTRICTED_VERSION } from '../rules/namespace/pod-security-labels';

/** Pod Security Standards levels for Pod Security Admission labels. */
/** Namespace totals enforced by the ResourceQuota. Quantities use Kubernetes notation (`500m`, `2Gi`). */
export interface NamespaceQuota {
  /** Sum of cpu requests. @default '4' */
  readonly requestsCpu?: string;
  /** Sum of memory requests. @default '8Gi' */
  readonly requestsMemory?: string;
  /** Sum of cpu limits. @default '8' */
  readonly limitsCpu?: string;
  /** Sum of memory limits. @default '16Gi' */
  readonly limitsMemory?: string;
  /** Pods (not terminated). @default 50 */
  readonly pods?: number;
  /** Services. @default 20 */
  readonly services?: number;
  /** Secrets. @default 50 */
  readonly secrets?: number;
  /** ConfigMaps. @default 50 */
  readonly configMaps?: number;
  /** PersistentVolumeClaims. @default 10 */
  readonly persistentVolumeClaims?: number;
  /** Services of type LoadBalancer. Each such Service still needs a waiver for net-service-exposed. @default 0 */
  readonly loadBalancers?: number;
  /** Services of type NodePort. Each such Service still needs a waiver for net-service-exposed. @default 0 */
  readonly nodePorts?: number;
}

/** Per-container defaults and bounds enforced by the LimitRange. */
export interface ContainerLimits {
  /** cpu request of containers that declare none. @default '100m' */
  readonly defaultCpuRequest?: string;
  /** memory request of containers that declare none. @default '128Mi' */
  readonly defaultMemoryRequest?: string;
  /** cpu limit of containers that declare none. @default '500m' */
  readonly defaultCpuLimit?: string;
  /** memory limit of containers that declare none. @default '512Mi' */
  readonly defaultMemoryLimit?: string;
  /** Largest cpu limit a container may have. @default '2' */
  readonly maxCpu?: string;
  /** Largest memory limit a container may have. @default '4Gi' */
  readonly maxMemory?: string;
}

/** Properties of a LockedNamespace. */
export interface LockedNamespaceProps {
  /** Name of the namespace (a DNS label, not a system namespace). */
  readonly name: string;
  /** Team or person accountable for the namespace; the `hardened.cdk8s.io/owner` label of every object inside. */
  readonly owner: string;
  /** What runs here, for humans: the `hardened.cdk8s.io/purpose` annotation. @default - no annotation */
  readonly purpose?: string;
  /** Extra labels on the Namespace (tenant, cost centre, ...). They may not override the PSA labels. @default - none */
  readonly labels?: Record<string, string>;
  /** Extra annotations on the Namespace. @default - none */
  readonly annotations?: Record<string, string>;
  /** Pod Security Admission level for enforce, audit and warn; below restricted needs a waiver for ns-pod-security-labels. @default PodSecurityLevel.RESTRICTED */
  readonly podSecurityLevel?: PodSecurityLevel;
  /** Pinned Pod Security Standards version (`v1.N`); `latest` needs a waiver for ns-pod-security-labels. @default 'v1.30' (the oldest Kubernetes the library's output targets: ValidatingAdmissionPolicy v1 and the appArmorProfile field) */
  readonly podSecurityVersion?: string;
  /** Allow every pod egress to cluster DNS (UDP and TCP 53). @default true */
  readonly allowDns?: boolean;
  /** Namespace of the cluster DNS pods; another namespace needs a waiver for net-dns-egress-namespace. @default 'kube-system' */
  readonly dnsNamespace?: string;
  /** Labels of the cluster DNS pods. @default { 'k8s-app': 'kube-dns' } (CoreDNS keeps this label) */
  readonly dnsPodLabels?: Record<string, string>;
  /** Namespace totals. @default - see NamespaceQuota */
  readonly quota?: NamespaceQuota;
  /** Per-container defaults and maxima. @default - see ContainerLimits */
  readonly containerLimits?: ContainerLimits;
  /**
   * Requests and limits of every hardened container in the namespace that declares no `resources`, and the
   * LimitRange's defaults (so the API server defaults other containers to the same numbers). Conflicts with the
   * `default*` fields of `containerLimits`.
   * @default - none: a hardened container without `resources` is an error naming the prop
   */
  readonly defaultResources?: DefaultResources;
  /**
   * Opt the namespace into signature verification by the app's ImageTrusts (label `policy.sigstore.dev/include`
   * for sigstore, `hardened.cdk8s.io/verify-images` for Kyverno), added when the namespace is serialized, so an
   * ImageTrust created later counts too. false needs a waiver for ns-signature-verification.
   * @default true (no label while the app has no ImageTrust)
   */
  readonly verifyImages?: boolean;
  /** Controls weakened on purpose, recorded on the Namespace (`hardened.cdk8s.io/waivers`). @default - none */
  readonly waivers?: Waiver[];
}

/** Label carrying the owner on every object of a LockedNamespace. */
export const OWNER_LABEL = 'hardened.cdk8s.io/owner';

const PSA_PREFIX = 'pod-security.kubernetes.io/';
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/**
 * A tenant namespace with the namespace controls of the hardening guides, in one line:
 * Pod Security Admission enforce/audit/warn at restricted with a pinned version, default-deny ingress and
 * egress NetworkPolicies (plus DNS egress to kube-dns), a ResourceQuota (no LoadBalancer or NodePort Services)
 * and a LimitRange, owner label and purpose annotation.
 *
 * It is a Chart nested in your chart with `namespace` set: every object created inside it (HardenedDeployment,
 * plain cdk8s-plus workloads, raw ApiObjects) lands in the namespace and carries the owner label. Allow traffic
 * with `WorkloadFlows.of(workload).allowFrom(...)`.
 */
export class LockedNamespace extends Chart {
  /** Name of the namespace. */
  public readonly namespaceName: string;
  /** The Namespace object. */
  public readonly namespaceObject: ApiObject;
  /** The ResourceQuota. */
  public readonly resourceQuota: ApiObject;
  /** The LimitRange. */
  public readonly limitRange: ApiObject;

  constructor(scope: Construct, id: string, props: LockedNamespaceProps) {
    super(scope, id, { namespace: props.name, labels: { [OWNER_LABEL]: props.owner } });
    this.namespaceName = props.name;
    // Labels and names reach the YAML cdk8s writes: kubectl must read it as it was checked.
    guardSynthYaml(this);
    const waivers = validateWaivers(this.node.path, props.waivers);
    validateName(this, props);
    if (props.defaultResources) registerDefaultResources(this, props.defaultResources, 'defaultResources');

    const level = podSecurityLevelOf(this, props);
    const version = props.podSecurityVersion ?? 'v1.30';
    if (version !== 'latest' && !/^v1\.\d+$/.test(version)) {
      throw new Error(`${this.node.path}: podSecurityVersion "${version}" is not a Kubernetes minor version like v1.30`);
    }
    if (level !== PodSecurityLevel.RESTRICTED) {
      requireWaiver(this, waivers, 'ns-pod-security-labels', `podSecurityLevel ${level}`, 'Keep PodSecurityLevel.RESTRICTED');
    }
    if (version === 'latest') {
      requireWaiver(this, waivers, 'ns-pod-security-labels', 'podSecurityVersion latest', 'Pin a version such as v1.30');
    } else if (!isFullRestrictedVersion(version)) {
      // Older policy versions lack restricted checks (capabilities, seccomp, runAsUser came in v1.19-v1.25).
      requireWaiver(this, waivers, 'ns-pod-security-labels', `podSecurityVersion ${version} (older than ${MIN_FULL_RESTRICTED_VERSION})`, `Pin ${MIN_FULL_RESTRICTED_VERSION} or later`);
    }
    const psaLabels: Record<string, string> = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      psaLabels[`${PSA_PREFIX}${mode}`] = level;
      psaLabels[`${PSA_PREFIX}${mode}-version`] = version;
    }
    for (const key of Object.keys(props.labels ?? {})) {
      if (key.startsWith(PSA_PREFIX) || key === OWNER_LABEL || key === NAMESPACE_NAME_LABEL) {
        throw new Error(`${this.node.path}: label "${key}" is set by LockedNamespace; use podSecurityLevel/podSecurityVersion/owner instead`);
      }
    }
    for (const key of Object.keys(props.annotations ?? {})) {
      if (key === WAIVERS_ANNOTATION || key === PURPOSE_ANNOTATION) {
        throw new Error(`${this.node.path}: annotation "${key}" is set by LockedNamespace; use the waivers/purpose props instead`);
      }
    }
    const annotations: Record<string, string> = { ...props.annotations };
    if (props.purpose !== undefined) annotations[PURPOSE_ANNOTATION] = props.purpose;
    const waiverRecord = waiverMetadata(waivers);
    Object.assign(annotations, waiverRecord.annotations);

    this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: props.name,
        labels: { ...props.labels, ...psaLabels, ...waiverRecord.labels },
        annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
      },
    });
    // A Namespace is cluster-scoped: the chart's namespace must not be written into it.
    this.namespaceObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    if (props.verifyImages === false) {
      requireWaiver(this, waivers, SIGNATURE_RULE, 'verifyImages false (images in the namespace are not verified by the app\'s ImageTrust)', 'Keep verifyImages true');
    } else {
      optIntoVerification(this, this.namespaceObject);
    }

    new k8s.KubeNetworkPolicy(this, 'DefaultDenyIngress', {
      metadata: { name: 'default-deny-ingress' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    new k8s.KubeNetworkPolicy(this, 'DefaultDenyEgress', {
      metadata: { name: 'default-deny-egress' },
      spec: { podSelector: {}, policyTypes: ['Egress'] },
    });
    if (props.allowDns ?? true) {
      const dnsNamespace = props.dnsNamespace ?? 'kube-system';
      const dnsPodLabels = props.dnsPodLabels ?? { 'k8s-app': 'kube-dns' };
      if (Object.keys(dnsPodLabels).length === 0) {
        throw new Error(`${this.node.path}: dnsPodLabels must select the DNS pods (an empty selector would allow every pod of ${dnsNamespace})`);
      }
      // Port 53 to DNS-labelled pods of another namespace: whoever controls that namespace answers every lookup.
      const dnsWaivers = waivers.filter((w) => w.ruleId === DNS_RULE);
      if (dnsNamespace !== 'kube-system') {
        requireWaiver(this, waivers, DNS_RULE, `dnsNamespace ${dnsNamespace} (DNS egress to pods labelled ${JSON.stringify(dnsPodLabels)} there)`, 'Keep the cluster DNS in kube-system');
      }
      const dnsRecord = waiverMetadata(dnsNamespace !== 'kube-system' ? dnsWaivers : []);
      new k8s.KubeNetworkPolicy(this, 'AllowDnsEgress', {
        metadata: {
          name: 'allow-dns-egress',
          ...(Object.keys(dnsRecord.annotations).length > 0 ? { annotations: dnsRecord.annotations, labels: dnsRecord.labels } : {}),
        },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: dnsNamespace } },
                  podSelector: { matchLabels: { ...dnsPodLabels } },
                },
              ],
              ports: [
                { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
                { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
              ],
            },
          ],
        },
      });
    }

    this.resourceQuota = new k8s.KubeResourceQuota(this, 'ResourceQuota', {
      metadata: { name: 'quota' },
      spec: { hard: quotaHard(this, props.quota ?? {}) },
    });
    this.limitRange = new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: { name: 'container-limits' },
      spec: { limits: [containerLimitItem(this, limitsWithDefaults(this, props))] },
    });
  }
}

/**
 * Adds the verifiers' opt-in labels at serialization: whether the app has an ImageTrust is only known once the
 * whole app is built, and every serialization path (synth, Testing.synth, toJson) goes through toJson.
 */
function optIntoVerification(scope: Construct, namespace: ApiObject): void {
  const serialize = namespace.toJson.bind(namespace);
  namespace.toJson = () => {
    const json = serialize();
    const labels = ImageTrust.namespaceLabelsFor(scope);
    if (Object.keys(labels).length === 0) return json;
    const existing = (json.metadata?.labels ?? {}) as Record<string, string>;
    for (const [key, value] of Object.entries(labels)) {
      if (existing[key] !== undefined && existing[key] !== value) {
        throw new Error(`${scope.node.path}: label "${key}: ${existing[key]}" conflicts with the app's ImageTrust, which needs "${value}"; drop the label or set verifyImages: false with a waiver for ${SIGNATURE_RULE}`);
      }
    }
    return { ...json, metadata: { ...json.metadata, labels: { ...existing, ...labels } } };
  };
}

/** The level to write; a value that is not a PodSecurityLevel (e.g. `undefined` from another enum of the same name) fails loudly. */
function podSecurityLevelOf(scope: Construct, props: LockedNamespaceProps): PodSecurityLevel {
  // An explicit undefined is what `OtherEnum.PRIVILEGED` gives when the enum lacks the member: never read it as the default.
  if (!Object.prototype.hasOwnProperty.call(props, 'podSecurityLevel')) return PodSecurityLevel.RESTRICTED;
  const level = props.podSecurityLevel;
  if (!Object.values(PodSecurityLevel).includes(level as PodSecurityLevel)) {
    throw new Error(`${scope.node.path}: podSecurityLevel ${String(level)} is not one of ${Object.values(PodSecurityLevel).join(', ')}`);
  }
  return level as PodSecurityLevel;
}

function validateName(scope: Construct, props: LockedNamespaceProps): void {
  if (!DNS_LABEL.test(props.name)) {
    throw new Error(`${scope.node.path}: namespace name "${props.name}" must be a DNS label (lower-case letters, digits and '-', at most 63 characters)`);
  }
  if (SYSTEM_NAMESPACES.includes(props.name)) {
    throw new Error(`${scope.node.path}: "${props.name}" is a system namespace (rule ns-default-namespace); give the tenant its own namespace`);
  }
  if (props.owner === '' || props.owner.length > 63 || !LABEL_VALUE.test(props.owner)) {
    throw new Error(`${scope.node.path}: owner "${props.owner}" must be a non-empty label value (letters, digits, '-', '_', '.', at most 63 characters)`);
  }
}

function count(scope: Construct, prop: string, value: number): k8s.Quantity {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${scope.node.path}: quota.${prop} must be a whole number >= 0, got ${value}`);
  return k8s.Quantity.fromNumber(value);
}

function quotaHard(scope: Construct, quota: NamespaceQuota): Record<string, k8s.Quantity> {
  const amount = (prop: keyof NamespaceQuota, fallback: string) => {
    const value = (quota[prop] as string | undefined) ?? fallback;
    quantity(scope, `quota.${prop}`, value);
    return k8s.Quantity.fromString(value);
  };
  return {
    'requests.cpu': amount('requestsCpu', '4'),
    'requests.memory': amount('requestsMemory', '8Gi'),
    'limits.cpu': amount('limitsCpu', '8'),
    'limits.memory': amount('limitsMemory', '16Gi'),
    'pods': count(scope, 'pods', quota.pods ?? 50),
    'services': count(scope, 'services', quota.services ?? 20),
    'secrets': count(scope, 'secrets', quota.secrets ?? 50),
    'configmaps': count(scope, 'configMaps', quota.configMaps ?? 50),
    'persistentvolumeclaims': count(scope, 'persistentVolumeClaims', quota.persistentVolumeClaims ?? 10),
    'services.loadbalancers': count(scope, 'loadBalancers', quota.loadBalancers ?? 0),
    'services.nodeports': count(scope, 'nodePorts', quota.nodePorts ?? 0),
  };
}

/** The LimitRange's container limits, with the defaults taken from `defaultResources` when it is set. */
function limitsWithDefaults(scope: Construct, props: LockedNamespaceProps): ContainerLimits {
  const limits = props.containerLimits ?? {};
  const defaults = props.defaultResources;
  if (!defaults) return limits;
  const taken = (['defaultCpuRequest', 'defaultMemoryRequest', 'defaultCpuLimit', 'defaultMemoryLimit'] as const).filter((k) => limits[k] !== undefined);
  if (taken.length > 0) {
    throw new Error(`${scope.node.path}: containerLimits.${taken.join(', containerLimits.')} and defaultResources both set the default container size. `
      + 'Fix: set defaultResources only (the LimitRange uses its numbers).');
  }
  return {
    ...limits,
    defaultCpuRequest: defaults.cpuRequest,
    defaultMemoryRequest: defaults.memoryRequest,
    defaultCpuLimit: defaults.cpuLimit,
    defaultMemoryLimit: defaults.memoryLimit,
  };
}

function containerLimitItem(scope: Construct, limits: ContainerLimits): k8s.LimitRangeItem {
  const value = (prop: keyof ContainerLimits, fallback: string) => {
    const text = limits[prop] ?? fallback;
    return { text, amount: quantity(scope, `containerLimits.${prop}`, text) };
  };
  const cpu = [value('defaultCpuRequest', '100m'), value('defaultCpuLimit', '500m'), value('maxCpu', '2')];
  const memory = [value('defaultMemoryRequest', '128Mi'), value('defaultMemoryLimit', '512Mi'), value('maxMemory', '4Gi')];
  for (const [resource, [request, limit, max]] of [['cpu', cpu], ['memory', memory]] as const) {
    // The API server rejects a LimitRange whose defaults exceed its max; say so at synth instead.
    if (request.amount > limit.amount || limit.amount > max.amount) {
      throw new Error(`${scope.node.path}: containerLimits for ${resource} must satisfy default request (${request.text}) <= default limit (${limit.text}) <= max (${max.text})`);
    }
  }
  return {
    type: 'Container',
    defaultRequest: { cpu: k8s.Quantity.fromString(cpu[0].text), memory: k8s.Quantity.fromString(memory[0].text) },
    default: { cpu: k8s.Quantity.fromString(cpu[1].text), memory: k8s.Quantity.fromString(memory[1].text) },
    max: { cpu: k8s.Quantity.fromString(cpu[2].text), memory: k8s.Quantity.fromString(memory[2].text) },
  };
}
