import { Severity } from '../../core/types';
import { namespaceOf, namespacesLacking } from '../network/policy-facts';
import { setRule } from '../rule';

/** A LimitRange gives containers that forget requests and limits sane defaults and caps each container. */
export default setRule({
  id: 'ns-limit-range',
  title: 'Namespaces must have a LimitRange',
  area: 'namespace',
  severity: Severity.LOW,
  level: 'restricted',
  judgesAbsence: true,
  namespaceLevel: true,
  kinds: ['Namespace', 'LimitRange'],
  rationale:
    'A LimitRange sets default requests and limits for containers that declare none and a maximum per container, so a single pod cannot take a whole node or the whole quota of its namespace.',
  remediation:
    'Add a LimitRange of type Container with default, defaultRequest and max for cpu and memory. LockedNamespace emits one.',
  references: {
    nsa: 'Resource policies: LimitRange',
    links: ['https://kubernetes.io/docs/concepts/policy/limit-range/'],
  },
  check(context) {
    const withLimits = new Set(context.index.ofKind('LimitRange').map(namespaceOf));
    return namespacesLacking(context, (ns) => withLimits.has(ns), (ns) => `namespace "${ns}" has no LimitRange in the scanned input`);
  },
});
