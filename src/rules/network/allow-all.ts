import { asArray, asObject } from '../../check/json';
import { Severity } from '../../check/types';
import { objectRule } from '../rule';
import type { Violation } from '../rule';
import { anywhereAcrossPolicies, anywherePeers, everyPodPeer, policyTypes } from './policy-facts';

/** A rule without peers, with every pod of every namespace as a peer, or ingress from every address undoes the isolation of the pods it selects. */
export default objectRule({
  id: 'net-allow-all',
  title: 'NetworkPolicy rules must name their peers',
  area: 'network',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: ['NetworkPolicy'],
  rationale:
    'An ingress rule without `from` (or with ipBlock 0.0.0.0/0 or ::/0, or ipBlocks that together cover a whole address family such as 0.0.0.0/1 plus 128.0.0.0/1, in one policy or in policies that select the same pods) admits every source, inside and outside the cluster; an egress rule without `to` allows every destination. A peer `namespaceSelector: {}` without a podSelector (or with an empty one) is every pod of every namespace, in ingress and egress: a tenant\'s namespace included. Policies are additive, so one such rule cancels the default deny for the pods it selects.',
  remediation:
    'Name the peers: podSelector plus a namespaceSelector that names the namespace (kubernetes.io/metadata.name) for workloads, ipBlock with the narrowest CIDR for external endpoints, plus explicit ports. If the workload really serves everyone (a public ingress controller), waive net-allow-all on the policy with the reason.',
  references: {
    nsa: 'Network separation and hardening: network policies',
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#allow-all-ingress-traffic'],
  },
  notAtAdmission: 'ipBlock unions need CIDR arithmetic that the admission CEL cannot do the same way; judged by the checker and at synth',
  check(policy, context) {
    const spec = asObject(policy.object.spec);
    const types = policyTypes(policy);
    const violations: Violation[] = [];
    const judge = (field: 'ingress' | 'egress', peerField: 'from' | 'to') => {
      asArray(spec[field]).forEach((raw, index) => {
        const peers = asArray(asObject(raw)[peerField]);
        if (peers.length === 0) {
          violations.push({
            path: `spec.${field}[${index}]`,
            message: `${field} rule ${index} has no \`${peerField}\`: it allows every ${field === 'ingress' ? 'source' : 'destination'}`,
          });
          return;
        }
        peers.forEach((peer, peerIndex) => {
          if (!everyPodPeer(peer)) return;
          violations.push({
            path: `spec.${field}[${index}].${peerField}[${peerIndex}].namespaceSelector`,
            message: `${field} rule ${index} ${field === 'ingress' ? 'admits' : 'allows'} every pod of every namespace (namespaceSelector: {} without a podSelector that narrows it)`,
          });
        });
      });
      // Egress to every address is net-egress-anywhere's finding.
      if (field === 'ingress') violations.push(...anywherePeers(spec, 'ingress'), ...anywhereAcrossPolicies(policy, context.index, 'ingress'));
    };
    // Rules of a direction the policy does not declare have no effect, so they allow nothing.
    if (types.ingress) judge('ingress', 'from');
    if (types.egress) judge('egress', 'to');
    return violations;
  },
});
