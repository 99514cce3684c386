import { Severity } from '../../core/types';
import { RUNNING_KINDS } from '../../core/workload-kinds';
import { namespaceOf } from '../network/policy-facts';
import { podRule } from '../rule';

/** The `default` namespace is shared by everything that forgot to name one: no tenancy boundary, usually no policies. */
export default podRule({
  id: 'ns-default-namespace',
  title: 'Workloads must not run in the default namespace',
  area: 'namespace',
  severity: Severity.MEDIUM,
  level: 'restricted',
  kinds: RUNNING_KINDS,
  rationale:
    'Namespaces are the unit of tenancy: RBAC, NetworkPolicies, quotas and Pod Security Admission labels attach to them. The `default` namespace is where objects land by accident, is shared by unrelated workloads and rarely carries those controls.',
  remediation:
    'Set metadata.namespace to a dedicated namespace (create the workload inside a LockedNamespace). Manifests without a namespace are judged as `default`, which is where `kubectl apply` puts them without `-n`.',
  references: {
    cis: '5.7.4',
    nsa: 'Namespaces',
    links: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'],
  },
  admission: {
    // A manifest without a namespace is created in the request's namespace, which is what admission sees.
    validations: [{ expression: "request.namespace != 'default'", message: 'the workload runs in the "default" namespace' }],
  },
  check(pod) {
    if (namespaceOf(pod.owner) !== 'default') return [];
    return [
      {
        path: 'metadata.namespace',
        message: pod.owner.namespace === undefined ? 'no namespace is set, so the workload lands in "default"' : 'the workload runs in the "default" namespace',
      },
    ];
  },
});
