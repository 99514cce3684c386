import { asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const PREFIX = 'nginx.ingress.kubernetes.io/';
const SUFFIX = '-snippet';

/** Controller settings (its ConfigMap) that re-enable snippet annotations for every Ingress of the cluster. */
const CONTROLLER_SETTINGS: ReadonlyArray<readonly [key: string, value: string]> = [
  ['allow-snippet-annotations', 'true'],
  ['annotations-risk-level', 'Critical'],
];

/** Snippet annotations: raw nginx configuration that ingress-nginx pastes into the controller's own config. */
function isSnippet(key: string): boolean {
  return key.startsWith(PREFIX) && key.endsWith(SUFFIX);
}

/**
 * CVE-2021-25742: a snippet annotation is nginx configuration (and Lua) run by the ingress controller, which holds
 * a token that reads every Secret of the cluster. Whoever may write an Ingress can read them all.
 */
export default objectRule({
  id: 'net-ingress-nginx-snippet',
  title: 'Ingresses must not carry ingress-nginx snippet annotations',
  area: 'network',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: ['Ingress', 'ConfigMap'],
  rationale:
    'ingress-nginx copies configuration-snippet, server-snippet, auth-snippet and the other *-snippet annotations verbatim into the controller\'s nginx.conf. With them, anyone who may create an Ingress runs arbitrary nginx directives and Lua inside the controller, whose service account reads every Secret in the cluster (CVE-2021-25742, and the 2025 IngressNightmare chain CVE-2025-1974). The controller disables them by default since v1.9 (allow-snippet-annotations: false, and since v1.12 annotations-risk-level below Critical); a ConfigMap that switches either back on is reported too.',
  remediation:
    'Remove the snippet annotations and use the dedicated annotations (rewrite-target, auth-url, cors, rate limits) or a controller-wide setting reviewed by the platform team. Keep allow-snippet-annotations: false in the controller\'s ConfigMap. A controller run by and for a single trusted team may waive net-ingress-nginx-snippet on the Ingress with the reason.',
  references: {
    kyverno: 'disallow-ingress-nginx-custom-snippets',
    links: ['https://github.com/kubernetes/ingress-nginx/issues/7837', 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations-risk/'],
  },
  admission: {
    validations: [{
      expression: `object.kind != 'Ingress' || !has(object.metadata.annotations) || object.metadata.annotations.all(k, !(k.startsWith('${PREFIX}') && k.endsWith('${SUFFIX}')))`,
      message: 'the Ingress carries an ingress-nginx *-snippet annotation (raw nginx configuration run by the controller, CVE-2021-25742)',
      messageExpression: `'the Ingress carries ingress-nginx snippet annotations (CVE-2021-25742): ' + object.metadata.annotations.filter(k, k.startsWith('${PREFIX}') && k.endsWith('${SUFFIX}')).join(', ')`,
    }, {
      expression: `object.kind != 'ConfigMap' || !has(object.data) || ${CONTROLLER_SETTINGS.map(([k, v]) => `!('${k}' in object.data && object.data['${k}'] == '${v}')`).join(' && ')}`,
      message: 'the ConfigMap switches ingress-nginx snippet annotations on for every Ingress (allow-snippet-annotations: "true" or annotations-risk-level: Critical)',
    }],
  },
  check(object) {
    if (object.kind === 'ConfigMap') {
      const data = asObject(object.object.data);
      return CONTROLLER_SETTINGS.filter(([key, value]) => data[key] === value).map(([key, value]) => ({
        path: `data.${key}`,
        message: `ConfigMap sets ${key}: "${value}": an ingress-nginx controller reading it runs the snippet annotations of every Ingress (CVE-2021-25742)`,
      }));
    }
    return Object.keys(asObject(asObject(object.object.metadata).annotations))
      .filter(isSnippet)
      .sort()
      .map((key) => ({
        path: `metadata.annotations.${key}`,
        message: `Ingress carries the annotation ${key}: raw nginx configuration that the ingress controller runs with its own credentials (CVE-2021-25742)`,
      }));
  },
});
