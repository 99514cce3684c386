import { ingressRoutes } from './ingress-facts';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

/**
 * A wildcard or missing host claims names nobody reviewed: every subdomain (or every name pointed at the controller)
 * reaches this backend, including ones a dangling DNS record or a typo sends there.
 */
export default objectRule({
  id: 'net-ingress-wildcard-host',
  title: 'Ingress rules must name their host; wildcard hosts need a waiver',
  area: 'network',
  severity: Severity.MEDIUM,
  level: 'restricted',
  kinds: ['Ingress'],
  rationale:
    'A host `*.example.com` routes every subdomain to one backend, and a rule without host (or the default backend) routes every name that resolves to the controller. Such catch-alls take traffic meant for other teams\' hosts on a shared controller, make any dangling or mistyped DNS name a working entry point, and hide which names an application actually serves. A wildcard is sometimes intended (per-tenant subdomains): then it is a reviewed exception.',
  remediation:
    'Give every rule the exact host it serves (spec.rules[].host: shop.example.com) and drop spec.defaultBackend. Where a wildcard or catch-all is the design (per-tenant subdomains, a controller dedicated to one application), waive net-ingress-wildcard-host on the Ingress with the reason.',
  references: {
    links: ['https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards'],
  },
  admission: {
    validations: [{
      expression: "!has(object.spec) || ((!has(object.spec.rules) || object.spec.rules.all(r, has(r.host) && r.host != '' && !r.host.startsWith('*'))) && !has(object.spec.defaultBackend))",
      message: 'the Ingress has a wildcard host, a rule without host or a default backend (each answers names nobody listed)',
    }],
  },
  check(ingress) {
    return ingressRoutes(ingress).flatMap((route) => {
      if (route.host === undefined) {
        const what = route.path === 'spec.defaultBackend' ? 'The default backend' : 'The rule has no host and';
        return [{ path: route.path, message: `${what} answers every host name that reaches the controller` }];
      }
      if (!route.host.startsWith('*')) return [];
      return [{ path: `${route.path}.host`, message: `Wildcard host ${JSON.stringify(route.host)} routes every matching subdomain to this backend` }];
    });
  },
});
