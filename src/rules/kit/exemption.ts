/**
 * The exemption test of a rule's policy, in CEL. An object is exempt from rule X only when
 *   1. its waiver annotation (on the pod or pod template for pod rules, on the object otherwise) is in the
 *      canonical form and holds exactly one entry for X, with a reason (src/core/waivers.ts), and
 *   2. the params ConfigMap permits waiving X in the object's namespace (src/core/waiver-policy.ts), and
 *   3. the entry has no `expires`, or expires on or after the params' synth date (the cluster has no clock: the
 *      date the params were generated stands for today; without it, an entry with an expiry is not honoured).
 * The engine applies the same two tests with the same waiver policy, so both reach the same verdict.
 * or the params list the object under `exempt.<rule-id>` (the policy's exemptions and team grants, matched on
 * `kind/namespace/name` as src/engine/exemptions.ts matches findings; a Namespace object by its own name).
 * The exemption label is not read: anyone who can write an object can write a label.
 */
import { celString } from './cel';
import {
  ANY_RULE, CLUSTER_SCOPED_KINDS, EXEMPT_KEY_PREFIX, HOST_ACCESS_RULES, WAIVABLE_ALL_NAMESPACES_KEY, WAIVABLE_CLUSTER_SCOPED_KEY,
  WAIVABLE_NAMESPACE_KEY_PREFIX, WAIVERS_SYNTH_DATE_KEY,
} from '../../core/waiver-policy';
import { canonicalWaiverSourceFor, WAIVERS_ANNOTATION, waiverEntryPrefix, waiverExpiryPrefix } from '../../core/waivers';
import type { AdmissionVariable, Rule } from '../rule';

/** CEL: the rule ids of a params key, as a list (empty when the key is absent). */
function paramList(key: string): string {
  return `(${key} in variables.paramsData ? variables.paramsData[${key}].split(',') : [])`;
}

/** The variables a non-locked policy adds after the rule's own: the permission, the annotation, the verdict. */
export function exemptionVariables(rule: Rule): AdmissionVariable[] {
  const metadata = rule.scope === 'pod' ? 'variables.podMeta' : 'object.metadata';
  const key = celString(WAIVERS_ANNOTATION);
  const host = HOST_ACCESS_RULES.includes(rule.id);
  const clusterKinds = rule.kinds.filter((k) => CLUSTER_SCOPED_KINDS.has(k));
  // A Namespace object belongs to the namespace it creates (request.namespace is not reliably its name).
  const namespace = rule.kinds.includes('Namespace') ? "(object.kind == 'Namespace' ? object.metadata.name : request.namespace)" : 'request.namespace';
  const namespaced = `${paramList(`${celString(WAIVABLE_NAMESPACE_KEY_PREFIX)} + ${namespace}`)}${host ? '' : ` + ${paramList(celString(WAIVABLE_ALL_NAMESPACES_KEY))}`}`;
  const scoped = clusterKinds.length === 0
    ? namespaced
    : clusterKinds.length === rule.kinds.length
      ? paramList(celString(WAIVABLE_CLUSTER_SCOPED_KEY))
      : `(object.kind in [${clusterKinds.map(celString).join(', ')}] ? ${paramList(celString(WAIVABLE_CLUSTER_SCOPED_KEY))} : ${namespaced})`;
  // Host access is never waived on cluster-scoped objects nor through `*` (waiverPermitted says the same).
  const matches = host
    ? clusterKinds.length === rule.kinds.length
      ? 'false'
      : `${clusterKinds.length > 0 ? `!(object.kind in [${clusterKinds.map(celString).join(', ')}]) && ` : ''}variables.waivable.exists(r, r == ${celString(rule.id)})`
    : `variables.waivable.exists(r, r == ${celString(rule.id)} || r == ${celString(ANY_RULE)})`;
  const prefix = celString(waiverEntryPrefix(rule.id));
  const exemptKey = celString(`${EXEMPT_KEY_PREFIX}${rule.id}`);
  const target = "object.kind + '/' + (object.kind == 'Namespace' ? object.metadata.name : request.namespace) + '/' + (has(object.metadata.name) ? object.metadata.name : '')";
  const expiry = waiverExpiryPrefix(rule.id);
  const at = `variables.waiverAnnotation.indexOf(${celString(expiry)}) + ${expiry.length}`;
  const synthDate = celString(WAIVERS_SYNTH_DATE_KEY);
  // ISO dates compare as strings; the date is the 10 characters after the prefix (the canonical form says so).
  const current = `(!variables.waiverAnnotation.contains(${celString(expiry)}) || (${synthDate} in variables.paramsData`
    + ` && variables.waiverAnnotation.substring(${at}, ${at} + 10) >= variables.paramsData[${synthDate}]))`;
  return [
    { name: 'waivable', expression: scoped },
    {
      name: 'waiverAnnotation',
      expression: `has(${metadata}.annotations) && ${key} in ${metadata}.annotations ? ${metadata}.annotations[${key}] : ''`,
    },
    {
      name: 'waived',
      expression:
        `variables.waiverAnnotation.matches(${celString(canonicalWaiverSourceFor(rule.id, 're2'))})`
        + ` && variables.waiverAnnotation.indexOf(${prefix}) == variables.waiverAnnotation.lastIndexOf(${prefix})`
        + ` && ${matches} && ${current}`
        + ` || ${exemptKey} in variables.paramsData && variables.paramsData[${exemptKey}].split(',').exists(p, (${target}).matches(p))`,
    },
  ];
}

/** A validation expression that an exempt object passes. The check runs first: the regex only on violations. */
export function unlessWaived(expression: string): string {
  return `(${expression}) || variables.waived`;
}
