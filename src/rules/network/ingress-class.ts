import { asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ANNOTATION = 'kubernetes.io/ingress.class';

/**
 * Without an explicit class the cluster decides which controller exposes an Ingress (the default IngressClass, or
 * every controller that still watches class-less Ingresses), so a route meant for the internal controller can end up
 * on the internet-facing one.
 */
export default objectRule({
  id: 'net-ingress-class',
  title: 'Ingresses must name their controller with spec.ingressClassName',
  area: 'network',
  severity: Severity.MEDIUM,
  level: 'restricted',
  kinds: ['Ingress'],
  rationale:
    'An Ingress without spec.ingressClassName is taken by the IngressClass marked default, which changes with the cluster rather than with the manifest, and older controllers pick up every class-less Ingress. With an internal and a public controller in one cluster, a missing class can publish an internal application. The annotation kubernetes.io/ingress.class is deprecated since Kubernetes 1.18: controllers may ignore it, and the API server refuses new Ingresses that set both it and spec.ingressClassName.',
  remediation:
    'Set spec.ingressClassName to the IngressClass of the intended controller (kubectl get ingressclass) and remove the kubernetes.io/ingress.class annotation.',
  references: {
    links: ['https://kubernetes.io/docs/concepts/services-networking/ingress/#deprecated-annotation', 'https://kubernetes.io/docs/concepts/services-networking/ingress/#default-ingress-class'],
  },
  admission: {
    validations: [{
      expression: "has(object.spec) && has(object.spec.ingressClassName) && object.spec.ingressClassName != ''",
      message: 'the Ingress has no spec.ingressClassName (the default IngressClass, or every class-less controller, would expose it)',
    }, {
      expression: `!has(object.metadata.annotations) || !('${ANNOTATION}' in object.metadata.annotations)`,
      message: `the Ingress carries the deprecated annotation ${ANNOTATION}: set spec.ingressClassName instead`,
    }],
  },
  check(ingress) {
    const className = asString(asObject(ingress.object.spec).ingressClassName);
    const annotated = ingress.annotations[ANNOTATION];
    const violations = [];
    if (className === undefined || className === '') {
      violations.push({
        path: 'spec.ingressClassName',
        message: annotated !== undefined
          ? `Ingress names its class only with the deprecated annotation ${ANNOTATION}: ${JSON.stringify(annotated)}; controllers may ignore it`
          : 'Ingress has no spec.ingressClassName: the default IngressClass (or any controller watching class-less Ingresses) exposes it',
        remediation: annotated !== undefined ? `Move the value to spec.ingressClassName: ${annotated} and remove the annotation.` : undefined,
      });
    }
    if (annotated !== undefined) {
      violations.push({
        path: `metadata.annotations.${ANNOTATION}`,
        message: `The annotation ${ANNOTATION} is deprecated (since Kubernetes 1.18); use spec.ingressClassName`,
      });
    }
    return violations;
  },
});
