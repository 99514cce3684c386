import { aggregationAdmission, aggregationRule } from './aggregation-rule';
import { clusterAdminLabels } from '../../analysis/rbac/dangerous';
import { Severity } from '../../core/types';

/** An aggregating ClusterRole holds the union of every role its selectors match: an empty selector matches all. */
export default aggregationRule({
  id: 'rbac-aggregate-all',
  title: 'ClusterRoles must not aggregate with a selector that collects cluster-admin',
  severity: Severity.CRITICAL,
  admission: aggregationAdmission([clusterAdminLabels()], 'an aggregationRule selector collects every ClusterRole, cluster-admin included'),
  rationale:
    'The aggregation controller copies into an aggregating ClusterRole the rules of every ClusterRole its clusterRoleSelectors match. An empty selector ({}) matches every ClusterRole, and a selector the built-in cluster-admin satisfies (kubernetes.io/bootstrapping=rbac-defaults, only NotIn/DoesNotExist expressions) collects cluster-admin itself: the role silently becomes cluster-admin, and whoever it is bound to with it.',
  remediation:
    'Select only the labels of the roles to combine (matchLabels: {example.com/aggregate-to-monitoring: "true"}), never an empty selector. A deliberate copy of cluster-admin is a binding to cluster-admin: bind it instead, with a waiver for rbac-cluster-admin-binding.',
  references: {
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles'],
  },
});
