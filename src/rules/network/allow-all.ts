import { asArray, asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';
import type { Violation } from '../rule';
import { everyAddressPeers, everyPodPeer, policyTypes } from './policy-facts';

/** As policyTypes(): without policyTypes, ingress is always on and egress only with egress rules. */
export const POLICY_DIRECTION_VARIABLES = [
  { name: 'ingressOn', expression: "has(object.spec.policyTypes) ? 'Ingress' in object.spec.policyTypes : true" },
  { name: 'egressOn', expression: "has(object.spec.policyTypes) ? 'Egress' in object.spec.policyTypes : (has(object.spec.egress) && size(object.spec.egress) > 0)" },
];

/** The API server admits only valid CIDRs, so a /0 suffix is exactly "every address". */
export const CEL_EVERY_ADDRESS = "(has(p.ipBlock) && has(p.ipBlock.cidr) && p.ipBlock.cidr.matches('^[0-9a-fA-F:.]+/0{1,3}$'))";

/** CEL for selector `s` selecting everything (no labels, no expressions), as compileSelector's matchesAll. */
const celMatchesAll = (s: string) => `((!has(${s}.matchLabels) || size(${s}.matchLabels) == 0) && (!has(${s}.matchExpressions) || size(${s}.matchExpressions) == 0))`;
/** CEL for peer `p` being every pod of every namespace, as everyPodPeer(). */
const CEL_EVERY_POD = `(has(p.namespaceSelector) && ${celMatchesAll('p.namespaceSelector')} && (!has(p.podSelector) || ${celMatchesAll('p.podSelector')}))`;

/**
 * A rule without peers, with every pod of every namespace as a peer, or ingress from every address undoes the
 * isolation of the pods it selects. ipBlocks that only together cover every address are net-ipblock-union-anywhere.
 */
export default objectRule({
  id: 'net-allow-all',
  title: 'NetworkPolicy rules must name their peers',
  area: 'network',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: ['NetworkPolicy'],
  rationale:
    'An ingress rule without `from` (or with ipBlock 0.0.0.0/0 or ::/0) admits every source, inside and outside the cluster; an egress rule without `to` allows every destination. A peer `namespaceSelector: {}` without a podSelector (or with an empty one) is every pod of every namespace, in ingress and egress: a tenant\'s namespace included. Policies are additive, so one such rule cancels the default deny for the pods it selects.',
  remediation:
    'Name the peers: podSelector plus a namespaceSelector that names the namespace (kubernetes.io/metadata.name) for workloads, ipBlock with the narrowest CIDR for external endpoints, plus explicit ports. If the workload really serves everyone (a public ingress controller), waive net-allow-all on the policy with the reason.',
  references: {
    nsa: 'Network separation and hardening: network policies',
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#allow-all-ingress-traffic'],
  },
  admission: {
    variables: POLICY_DIRECTION_VARIABLES,
    validations: [
      {
        expression: `!variables.ingressOn || !has(object.spec.ingress) || object.spec.ingress.all(r, has(r.from) && size(r.from) > 0 && r.from.all(p, !${CEL_EVERY_ADDRESS} && !${CEL_EVERY_POD}))`,
        message: 'an ingress rule has no `from` (every source), admits every address (ipBlock /0) or every pod of every namespace (namespaceSelector {})',
      },
      {
        expression: `!variables.egressOn || !has(object.spec.egress) || object.spec.egress.all(r, has(r.to) && size(r.to) > 0 && r.to.all(p, !${CEL_EVERY_POD}))`,
        message: 'an egress rule has no `to` (every destination) or allows every pod of every namespace (namespaceSelector {})',
      },
    ],
  },
  check(policy) {
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
      if (field === 'ingress') violations.push(...everyAddressPeers(spec, 'ingress'));
    };
    // Rules of a direction the policy does not declare have no effect, so they allow nothing.
    if (types.ingress) judge('ingress', 'from');
    if (types.egress) judge('egress', 'to');
    return violations;
  },
});
