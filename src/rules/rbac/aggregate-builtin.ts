import { aggregationAdmission, aggregationRule } from './aggregation-rule';
import { PERMISSIONS } from './permissions';
import { dangerousBuiltinLabelSets } from '../../analysis/rbac/dangerous';
import { Severity } from '../../core/types';
import { lazyAdmission } from '../rule';

/** Selecting the built-in aggregate-to-* labels copies admin, edit and their parts into the aggregating role. */
// The built-in label sets come from walking the bootstrap roles (about 7 ms): only a policy build needs them.
export default lazyAdmission(aggregationRule({
  id: 'rbac-aggregate-builtin',
  title: 'ClusterRoles must not aggregate built-in roles whose permissions are dangerous',
  severity: Severity.HIGH,
  rationale:
    'The built-in roles carry the labels rbac.authorization.k8s.io/aggregate-to-admin, -edit and -view. A selector on aggregate-to-edit copies system:aggregate-to-edit and view, i.e. edit (Secrets, pod creation, exec, impersonating service accounts); one on aggregate-to-admin copies edit and the RBAC writes of admin. The copy has the permissions of the role it copies, so it is judged as that role, on every cluster.',
  remediation:
    'Bind the built-in role itself where it is meant (admin and edit need a waiver for rbac-admin-edit-binding), or aggregate roles of your own labelled with your own key. Selecting aggregate-to-view is fine. A deliberate copy needs a waiver for rbac-aggregate-builtin.',
  references: {
    cis: '5.1.1',
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles'],
  },
}), () => aggregationAdmission(dangerousBuiltinLabelSets(PERMISSIONS), 'an aggregationRule selector copies built-in ClusterRoles whose permissions are dangerous'));
