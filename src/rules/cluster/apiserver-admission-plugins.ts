import { cisOfRule, CONTROL_PLANE_KINDS, judgeControlPlane } from '../../analysis/cluster/control-plane-judge';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-apiserver-admission-plugins';

/** Admission plugins are where the API server refuses what authorization alone lets through. */
export default objectRule({
  id: ID,
  title: 'The API server must enable NodeRestriction, AlwaysPullImages and DenyServiceExternalIPs, never AlwaysAdmit',
  area: 'cluster',
  severity: Severity.HIGH,
  level: 'baseline',
  kinds: CONTROL_PLANE_KINDS,
  rationale:
    'AlwaysAdmit admits every request. Without NodeRestriction a compromised kubelet can edit other nodes and the pods on them; without AlwaysPullImages a pod can run a private image another tenant pulled onto the node; without DenyServiceExternalIPs any Service author can intercept traffic for an external IP (CVE-2020-8554). Disabling NamespaceLifecycle or ServiceAccount removes checks every cluster relies on.',
  remediation:
    'List NodeRestriction, AlwaysPullImages and DenyServiceExternalIPs in --enable-admission-plugins, remove AlwaysAdmit, and keep NamespaceLifecycle and ServiceAccount out of --disable-admission-plugins (ControlPlaneConfig does all of this).',
  references: { ...cisOfRule(ID), nsa: 'Admission controllers', links: ['https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => judgeControlPlane(view, ID),
});
