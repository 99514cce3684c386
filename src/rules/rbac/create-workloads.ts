import { permissionRule, probes } from './permission-rule';
import { Severity } from '../../core/types';

/** Whoever creates pods chooses their service account, volumes and security context. */
export default permissionRule({
  id: 'rbac-create-workloads',
  title: 'Roles must not create or change pods, nor create or change workload controllers',
  severity: Severity.HIGH,
  // Changing a controller's pod template (update/patch) runs new pods exactly like creating the controller does;
  // patching a running pod swaps its container images.
  rbac: {
    probes: [
      ...probes('', ['pods'], ['create', 'update', 'patch']),
      ...probes('', ['replicationcontrollers', 'podtemplates'], ['create', 'update', 'patch']),
      ...probes('apps', ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], ['create', 'update', 'patch']),
      ...probes('batch', ['jobs', 'cronjobs'], ['create', 'update', 'patch']),
    ],
  },
  rationale:
    'Creating a Pod, or a controller that creates Pods, lets a subject run code as any service account of the namespace, mount its Secrets and ConfigMaps and, where admission allows, reach the host.',
  remediation:
    'Remove create, update and patch on pods (patching a running pod swaps its container images), and create, update and patch on replicationcontrollers, podtemplates, deployments, replicasets, statefulsets, daemonsets, jobs and cronjobs (changing a pod template starts new pods just as creating the controller does). Operators and CI deployers need a waiver for rbac-create-workloads.',
  references: {
    cis: '5.1.4',
    nsa: 'Authentication and authorization: least privilege RBAC',
    kubeLinter: 'access-to-create-pods',
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
});
