import { asArray, asObject } from '../../check/json';
import { Severity } from '../../check/types';
import { objectRule } from '../rule';
import type { Violation } from '../rule';
import { everyAddressCidr, policyTypes } from './policy-facts';

/** A rule without peers (or an ipBlock of every address for ingress) undoes the isolation of the pods it selects. */
export default objectRule({
  id: 'net-allow-all',
  title: 'NetworkPolicy rules must name their peers',
  area: 'network',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: ['NetworkPolicy'],
  rationale:
    'An ingress rule without `from` (or with ipBlock 0.0.0.0/0 or ::/0) admits every source, inside and outside the cluster; an egress rule without `to` allows every destination. Policies are additive, so one such rule cancels the default deny for the pods it selects.',
  remediation:
    'Name the peers: podSelector (and namespaceSelector) for workloads, ipBlock with the narrowest CIDR for external endpoints, plus explicit ports. If the workload really serves everyone (a public ingress controller), waive net-allow-all on the policy with the reason.',
  references: {
    nsa: 'Network separation and hardening: network policies',
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#allow-all-ingress-traffic'],
  },
  admission: {
    // The API server admits only valid CIDRs, so a /0 suffix is exactly "every address".
    variables: [
      // As policyTypes(): without policyTypes, ingress is always on and egress only with egress rules.
      { name: 'ingressOn', expression: "has(object.spec.policyTypes) ? 'Ingress' in object.spec.policyTypes : true" },
      { name: 'egressOn', expression: "has(object.spec.policyTypes) ? 'Egress' in object.spec.policyTypes : (has(object.spec.egress) && size(object.spec.egress) > 0)" },
    ],
    validations: [
      {
        expression: "!variables.ingressOn || !has(object.spec.ingress) || object.spec.ingress.all(r, has(r.from) && size(r.from) > 0 && r.from.all(p, !(has(p.ipBlock) && has(p.ipBlock.cidr) && p.ipBlock.cidr.matches('^[0-9a-fA-F:.]+/0{1,3}$'))))",
        message: 'an ingress rule has no `from` (every source) or admits every address (ipBlock /0)',
      },
      {
        expression: '!variables.egressOn || !has(object.spec.egress) || object.spec.egress.all(r, has(r.to) && size(r.to) > 0)',
        message: 'an egress rule has no `to`: it allows every destination',
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
        if (field !== 'ingress') return;
        peers.forEach((peer, peerIndex) => {
          const cidr = everyAddressCidr(peer);
          if (cidr) {
            violations.push({ path: `spec.ingress[${index}].from[${peerIndex}].ipBlock.cidr`, message: `ingress from ${cidr} admits every address` });
          }
        });
      });
    };
    // Rules of a direction the policy does not declare have no effect, so they allow nothing.
    if (types.ingress) judge('ingress', 'from');
    if (types.egress) judge('egress', 'to');
    return violations;
  },
});
