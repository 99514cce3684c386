import { Severity } from '../../core/types';
import { namespaceOf, namespacesLacking } from '../network/policy-facts';
import { setRule } from '../rule';

/** A namespace without a ResourceQuota lets one tenant exhaust the cluster's capacity and object store. */
export default setRule({
  id: 'ns-resource-quota',
  title: 'Namespaces must have a ResourceQuota',
  area: 'namespace',
  severity: Severity.MEDIUM,
  level: 'restricted',
  judgesAbsence: true,
  namespaceLevel: true,
  kinds: ['Namespace', 'ResourceQuota'],
  rationale:
    'A ResourceQuota caps what a namespace may consume in total (CPU, memory, pods, Services, Secrets, volumes). Without one a compromised or faulty workload can starve every other tenant, or create LoadBalancer and NodePort Services that expose the cluster.',
  remediation:
    'Add a ResourceQuota to the namespace with hard limits for requests/limits of cpu and memory, pods, services, secrets, configmaps, persistentvolumeclaims, and services.loadbalancers / services.nodeports set to 0 unless needed. LockedNamespace emits one.',
  references: {
    nsa: 'Resource policies: ResourceQuota',
    kyverno: 'add-ns-quota',
    links: ['https://kubernetes.io/docs/concepts/policy/resource-quotas/'],
  },
  check(context) {
    const withQuota = new Set(context.index.ofKind('ResourceQuota').map(namespaceOf));
    return namespacesLacking(context, (ns) => withQuota.has(ns), (ns) => `namespace "${ns}" has no ResourceQuota in the scanned input`);
  },
});
