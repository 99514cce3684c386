import { permissionRule, probes, WRITE_VERBS } from './permission-rule';
import { Severity } from '../../core/types';

/** A CustomResourceDefinition decides how an API group is served, stored and converted. */
export default permissionRule({
  id: 'rbac-crd-write',
  title: 'Roles must not write CustomResourceDefinitions',
  severity: Severity.HIGH,
  rbac: { probes: probes('apiextensions.k8s.io', ['customresourcedefinitions'], WRITE_VERBS) },
  rationale:
    'Whoever writes CustomResourceDefinitions can delete one (and with it every object of that kind, policy engines\' policies included), change its schema or point its conversion webhook at a service it controls, which then receives every object of the kind.',
  remediation:
    'Install CustomResourceDefinitions from reviewed manifests, not from workloads; remove create, update, patch and delete on apiextensions.k8s.io customresourcedefinitions. An operator that manages its own CRDs needs a waiver for rbac-crd-write.',
  references: {
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: ['https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definition-versioning/#webhook-conversion'],
  },
});
