import { ingressBackends } from './ingress-facts';
import { asArray, asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { ObjectViolation, setRule } from '../rule';

/**
 * A backend that names no Service is a broken route today and a takeover tomorrow: whoever creates a Service of that
 * name in the namespace receives the host's traffic, TLS and all. Judged only when the set is complete.
 */
export default setRule({
  id: 'net-ingress-backend-missing',
  title: 'Ingress backends must name a Service (and port) that exists in the set',
  area: 'network',
  severity: Severity.MEDIUM,
  level: 'restricted',
  judgesAbsence: true,
  kinds: ['Ingress'],
  rationale:
    'An Ingress routes a public host to a Service by name. If no such Service exists the route answers 503 until someone creates one, and anyone who may create Services in the namespace then receives the traffic of that host, with the Ingress\'s certificate in front of it. A port that the Service does not declare is the same mistake one level down. Reported only for a complete set (a whole synth output or directory), where a missing Service is really missing.',
  remediation:
    'Fix the backend\'s service.name and port (number or name) to match a Service of the Ingress\'s namespace, or add the Service to the manifests. Backends of kind resource (spec.rules[].http.paths[].backend.resource) are not Services and are not judged.',
  references: {
    kubeLinter: 'dangling-ingress',
    kubeScore: 'ingress-targets-service',
  },
  notAtAdmission: 'Whether the Service exists is a fact about other objects; a ValidatingAdmissionPolicy sees one object at a time.',
  check(context) {
    if (context.settings.completeSet === false) return [];
    const violations: ObjectViolation[] = [];
    for (const ingress of context.index.ofKind('Ingress')) {
      for (const backend of ingressBackends(ingress)) {
        const service = context.index.find('Service', ingress.namespace, backend.service);
        const where = ingress.namespace ?? '(no namespace)';
        if (!service) {
          violations.push({ object: ingress.object, path: backend.path, message: `Backend Service ${where}/${backend.service || '(no name)'} is not in the scanned input` });
          continue;
        }
        if (backend.port === undefined) continue;
        const ports = asArray(asObject(service.object.spec).ports).map(asObject);
        const found = typeof backend.port === 'number' ? ports.some((p) => p.port === backend.port) : ports.some((p) => asString(p.name) === backend.port);
        if (!found) {
          violations.push({ object: ingress.object, path: backend.path, message: `Backend Service ${where}/${backend.service} declares no port ${JSON.stringify(backend.port)}` });
        }
      }
    }
    return violations;
  },
});
