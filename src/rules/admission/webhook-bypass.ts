import { IN_CLUSTER_URL_PATTERN, urlInCluster, wideResources } from './support';
import { asArray, asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { celString } from '../kit/cel';
import { objectRule, Violation } from '../rule';

/**
 * CEL: the webhook `w` names `*`, `*\/...`, pods or a pods subresource in one of its rules. The resources are joined
 * and matched as text so that webhooks x rules x resources stays two comprehensions deep (the policies' cost bound).
 */
const WIDE = "has(w.rules) && w.rules.exists(r, has(r.resources) && (',' + r.resources.join(',') + ',').matches(',([*]|[*]/[^,]*|pods|pods/[^,]*),'))";
const IGNORES = "has(w.failurePolicy) && w.failurePolicy == 'Ignore'";
const OUTSIDE = `has(w.clientConfig) && has(w.clientConfig.url) && !w.clientConfig.url.matches(${celString(IN_CLUSTER_URL_PATTERN)})`;

/**
 * A webhook that sees every pod (or every resource) is part of the cluster's defences or can defeat them: with
 * failurePolicy Ignore an attacker who slows or breaks it gets every request admitted, and with a URL outside the
 * cluster every pod spec (and, for `*`, every Secret) is sent to, and a mutating one rewritten by, a third party.
 */
export default objectRule({
  id: 'admission-webhook-bypass',
  title: 'Webhooks that see every pod must fail closed and stay inside the cluster',
  area: 'admission',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  rationale:
    'A validating or mutating webhook whose rules match `*` resources or pods takes part in every pod admission. With failurePolicy Ignore a timeout or an unreachable service admits the request unchecked, so a policy webhook can be switched off by overloading it; a mutating webhook with Ignore silently skips its hardening. With clientConfig.url pointing outside the cluster, the API server sends every matched object (pod specs, and Secrets when the rule is `*`) to that endpoint and, for a mutating webhook, applies whatever patch comes back: a foothold on that host rewrites every pod of the cluster.',
  remediation:
    'Match only the resources the webhook needs, set failurePolicy: Fail (with a namespaceSelector that leaves kube-system out so the webhook cannot lock the cluster), and reach the webhook through clientConfig.service inside the cluster. Where a vendor webhook needs otherwise, waive admission-webhook-bypass on the configuration with the reason.',
  references: {
    nsa: 'Admission controllers: use webhooks that fail closed',
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#failure-policy', 'https://kubernetes.io/docs/concepts/cluster-administration/admission-webhooks-good-practices/'],
  },
  admission: {
    validations: [
      {
        expression: `!has(object.webhooks) || object.webhooks.all(w, !(${WIDE}) || !(${IGNORES}))`,
        message: 'a webhook that matches every resource or pods has failurePolicy Ignore: when it fails, every request is admitted unchecked',
      },
      {
        expression: `!has(object.webhooks) || object.webhooks.all(w, !(${WIDE}) || !(${OUTSIDE}))`,
        message: 'a webhook that matches every resource or pods sends them to a URL outside the cluster',
      },
    ],
  },
  check(config) {
    const violations: Violation[] = [];
    asArray(config.object.webhooks).forEach((raw, index) => {
      const webhook = asObject(raw);
      const name = JSON.stringify(asString(webhook.name) ?? `#${index}`);
      const wide = [...new Set(asArray(webhook.rules).flatMap(wideResources))].sort();
      if (wide.length === 0) return;
      const matches = `matches ${wide.join(', ')}`;
      if (webhook.failurePolicy === 'Ignore') {
        violations.push({
          path: `webhooks[${index}].failurePolicy`,
          message: `webhook ${name} ${matches} with failurePolicy Ignore: when it times out or is unreachable, every such request is admitted unchecked`,
        });
      }
      const url = asObject(webhook.clientConfig).url;
      if (url !== undefined && url !== null && !(typeof url === 'string' && urlInCluster(url))) {
        violations.push({
          path: `webhooks[${index}].clientConfig.url`,
          message: `webhook ${name} ${matches} and calls ${JSON.stringify(url)}, outside the cluster: every matched object is sent there${config.kind === 'MutatingWebhookConfiguration' ? ' and the patch it returns is applied' : ''}`,
        });
      }
    });
    return violations;
  },
});
