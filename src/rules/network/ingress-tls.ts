import { ingressRoutes, tlsCovers, tlsHosts } from './ingress-facts';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

/**
 * CEL: a tls entry `t` covers the rule host `r.host`: it lists the name, or the wildcard one label up (`*.example.com`
 * for `a.example.com`). Written as list membership to keep comprehensions two deep.
 */
const COVERS = "has(t.hosts) && (r.host in t.hosts || (r.host.indexOf('.') > 0 && ('*' + r.host.substring(r.host.indexOf('.'))) in t.hosts))";

/**
 * An Ingress is the cluster's front door: a host served without TLS sends session cookies, tokens and credentials
 * in clear text across every network between the client and the controller.
 */
export default objectRule({
  id: 'net-ingress-tls',
  title: 'Every host an Ingress serves must have TLS',
  area: 'network',
  severity: Severity.MEDIUM,
  level: 'restricted',
  kinds: ['Ingress'],
  rationale:
    'Without a tls entry for its host the ingress controller serves the route over plain HTTP only: passwords, bearer tokens and cookies cross the load balancer, the cloud network and any proxy in clear text, and anyone on the path can read or change them. A rule without host and the default backend answer every host name, so they are covered only by a tls entry without hosts (the controller\'s default certificate).',
  remediation:
    'Add spec.tls entries whose hosts list every spec.rules[].host (a wildcard *.example.com covers one label) with a secretName holding the certificate (cert-manager can issue it). Where TLS ends before the controller (a cloud load balancer with its own certificate), waive net-ingress-tls on the Ingress with that reason.',
  references: {
    polaris: 'tlsSettingsMissing',
    nsa: 'Network separation and hardening (encrypt traffic in transit)',
    links: ['https://kubernetes.io/docs/concepts/services-networking/ingress/#tls'],
  },
  admission: {
    variables: [
      { name: 'tls', expression: 'has(object.spec) && has(object.spec.tls) ? object.spec.tls : []' },
      { name: 'hostlessTls', expression: 'variables.tls.exists(t, !has(t.hosts) || t.hosts.size() == 0)' },
    ],
    validations: [{
      expression: `!has(object.spec) || ((!has(object.spec.rules) || object.spec.rules.all(r, has(r.host) && r.host != '' ? variables.tls.exists(t, ${COVERS}) : variables.hostlessTls)) && (!has(object.spec.defaultBackend) || variables.hostlessTls))`,
      message: 'the Ingress serves a host without TLS (every spec.rules[].host needs a spec.tls entry; a rule without host or a default backend needs a tls entry without hosts)',
    }],
  },
  check(ingress) {
    const { hosts, hostless } = tlsHosts(ingress);
    return ingressRoutes(ingress).flatMap((route) => {
      if (route.host === undefined) {
        if (hostless) return [];
        const what = route.path === 'spec.defaultBackend' ? 'The default backend' : 'A rule without host';
        return [{ path: route.path, message: `${what} answers every host name, and no tls entry without hosts covers it: it is served over plain HTTP` }];
      }
      if (hosts.some((h) => tlsCovers(h, route.host!))) return [];
      return [{ path: `${route.path}.host`, message: `Host ${JSON.stringify(route.host)} has no tls entry: it is served over plain HTTP` }];
    });
  },
});
