import { NAMESPACE_NAME_LABEL } from '../../analysis/network/reachability';
import { asArray, asObject, isObject } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule, Violation } from '../rule';
import { policyTypes } from './policy-facts';

/** The namespace that runs the cluster DNS on every distribution the library targets. */
const DNS_NAMESPACE = 'kube-system';
const DNS_PORT = 53;

/** True when the egress rule names port 53 (the DNS intent); a rule without ports allows every port to a declared peer. */
function namesDnsPort(rule: Record<string, unknown>): boolean {
  return asArray(rule.ports).some((p) => asObject(p).port === DNS_PORT);
}

/** True when the namespace selector pins kube-system by name (other labels may narrow it further). */
function pinsDnsNamespace(selector: unknown): boolean {
  return isObject(selector) && asObject(selector.matchLabels)[NAMESPACE_NAME_LABEL] === DNS_NAMESPACE;
}

/**
 * Every pod resolves names through the peer its DNS egress allows: a DNS flow to pods in a namespace a tenant
 * controls lets that tenant answer the lookups (and read every name the pods resolve).
 */
export default objectRule({
  id: 'net-dns-egress-namespace',
  title: 'DNS egress must go to the cluster DNS in kube-system',
  area: 'network',
  severity: Severity.MEDIUM,
  level: 'restricted',
  kinds: ['NetworkPolicy'],
  rationale:
    'A default-deny namespace allows port 53 to the cluster DNS so that its pods can resolve names. Selected by pod labels (k8s-app: kube-dns) in a namespace other than kube-system, or in namespaces chosen by labels anyone may set, the flow reaches any pod that a tenant labels like DNS in a namespace it controls: it can then answer the lookups of every pod, redirect their connections and read the names they resolve.',
  remediation:
    'Select the DNS peer with namespaceSelector matchLabels kubernetes.io/metadata.name: kube-system (LockedNamespace does so by default). A cluster whose DNS runs elsewhere (a NodeLocal DNSCache, a dedicated namespace owned by the platform team) waives net-dns-egress-namespace with the reason (LockedNamespace: `dnsNamespace` plus the waiver).',
  references: {
    nsa: 'Network separation and hardening: network policies',
    links: ['https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/'],
  },
  admission: {
    validations: [{
      expression:
        // Egress rules of a policy that does not declare Egress have no effect (policyTypes defaulting as in policyTypes()).
        "!has(object.spec) || (has(object.spec.policyTypes) && !('Egress' in object.spec.policyTypes)) || !has(object.spec.egress) || object.spec.egress.all(r, !has(r.ports) || !r.ports.exists(p, has(p.port) && p.port == 53) || !has(r.to) || " +
        `r.to.all(p, !has(p.namespaceSelector) || (has(p.namespaceSelector.matchLabels) && '${NAMESPACE_NAME_LABEL}' in p.namespaceSelector.matchLabels && p.namespaceSelector.matchLabels['${NAMESPACE_NAME_LABEL}'] == '${DNS_NAMESPACE}')))`,
      message: 'an egress rule allows DNS (port 53) to pods of a namespace other than kube-system',
    }],
  },
  check(policy) {
    if (!policyTypes(policy).egress) return [];
    const violations: Violation[] = [];
    asArray(asObject(policy.object.spec).egress).forEach((raw, index) => {
      const rule = asObject(raw);
      if (!namesDnsPort(rule)) return;
      asArray(rule.to).forEach((peer, peerIndex) => {
        const selector = asObject(peer).namespaceSelector;
        if (selector === undefined || selector === null || pinsDnsNamespace(selector)) return;
        violations.push({
          path: `spec.egress[${index}].to[${peerIndex}].namespaceSelector`,
          message: `egress rule ${index} allows DNS (port 53) to pods of namespaces selected by ${JSON.stringify(selector)}, not by name kube-system`,
        });
      });
    });
    return violations;
  },
});
