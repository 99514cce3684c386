import { HEALTH_PROBE_PATHS } from '../../analysis/cluster/authentication';
import { cisOfRule, CONTROL_PLANE_KINDS, judgeControlPlane } from '../../analysis/cluster/control-plane-judge';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { asArray, asObject, asString, isObject } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule, Violation } from '../rule';

const ID = 'cluster-apiserver-authentication';

/** Anonymous requests, static token files and tokens that outlive their service account are ways into the API without a real credential. */
export default objectRule({
  id: ID,
  title: 'The API server must not accept anonymous requests, static token files or tokens of deleted service accounts',
  area: 'cluster',
  severity: Severity.CRITICAL,
  level: 'baseline',
  kinds: [...CONTROL_PLANE_KINDS, 'AuthenticationConfiguration'],
  rationale:
    'The API server accepts anonymous requests unless told otherwise (--anonymous-auth defaults to true): one careless binding to system:anonymous or system:unauthenticated then opens the API to anyone who reaches it. A --token-auth-file holds clear-text tokens that never expire and cannot be revoked without a restart. Without --service-account-lookup a deleted service account\'s token stays valid; with token expiration extension bound tokens live a year.',
  remediation:
    'Set --anonymous-auth=false, or --authentication-config with an anonymous section limited to the health endpoints (ControlPlaneConfig with ApiServerAuthenticationConfig); remove --token-auth-file; keep --service-account-lookup=true; set --service-account-extend-token-expiration=false.',
  references: { ...cisOfRule(ID), nsa: 'Authentication and authorization', links: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check(view) {
    if (view.kind !== 'AuthenticationConfiguration') return judgeControlPlane(view, ID);
    return view.apiVersion.startsWith('apiserver.config.k8s.io/') ? judgeAnonymousSection(view.object.anonymous) : [];
  },
});

/** The anonymous section of an AuthenticationConfiguration: off, or on for the health endpoints only. */
function judgeAnonymousSection(anonymous: unknown): Violation[] {
  if (!isObject(anonymous)) {
    return [{ path: 'anonymous', message: 'no anonymous section: anonymous requests then depend on --anonymous-auth, which defaults to true; set enabled: false or limit it to the health endpoints' }];
  }
  if (anonymous.enabled !== true) return [];
  const conditions = asArray(anonymous.conditions);
  if (conditions.length === 0) return [{ path: 'anonymous.conditions', message: 'anonymous requests are allowed on every path' }];
  const violations: Violation[] = [];
  conditions.forEach((c, i) => {
    const path = asString(asObject(c).path);
    if (path === undefined || !HEALTH_PROBE_PATHS.includes(path)) {
      violations.push({ path: `anonymous.conditions[${i}].path`, message: `anonymous requests are allowed on ${JSON.stringify(path ?? null)}, not a health endpoint (${HEALTH_PROBE_PATHS.join(', ')})` });
    }
  });
  return violations;
}
