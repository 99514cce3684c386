import { asArray, asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { podRule, Violation } from '../rule';
import { secretLiteralKind } from './secret-patterns';

/** A secret written into the manifest is readable by anyone who can read the manifest. */
export default podRule({
  id: 'workload-env-secret-literal',
  title: 'No secrets written as literal environment variable values',
  area: 'workload',
  severity: Severity.HIGH,
  level: 'restricted',
  rationale:
    'A credential in `env[].value` lives in the manifest: in Git, in CI logs, in every `kubectl get -o yaml` and in the audit log, readable by anyone with read access to the workload, where RBAC on Secrets does not protect it. Flagged: values shaped like private keys, AWS access key ids, GitHub/GitLab/Slack/npm tokens, Google API keys, Stripe live keys, Azure account keys, JWTs and URLs with a password, and non-trivial literals in variables named like PASSWORD, SECRET, TOKEN, API_KEY or CREDENTIALS (not *_FILE, *_PATH, *_NAME and similar pointers). The finding never repeats the value.',
  remediation:
    'Rotate the exposed credential, store it in a Secret (or an external secret store) and mount it as a file (preferred) or reference it with valueFrom.secretKeyRef.',
  references: {
    cis: '5.4.1',
    kubeLinter: 'env-var-secret',
    polaris: 'sensitiveContainerEnvVar',
    links: ['https://kubernetes.io/docs/concepts/configuration/secret/'],
  },
  notAtAdmission: 'its name and value heuristics (camel-case word splitting, lookaheads) have no exact RE2 equivalent, and a near miss would let secrets in or deny clean pods',
  check(pod) {
    const violations: Violation[] = [];
    const containers = pod.containers;
    for (let ci = 0; ci < containers.length; ci++) {
      const c = containers[ci];
      const envEntries = asArray(c.container.env);
      for (let i = 0; i < envEntries.length; i++) {
        const entry = envEntries[i];
        const env = asObject(entry);
        const name = asString(env.name) ?? '';
        const value = asString(env.value);
        if (value === undefined) continue;
        const kind = secretLiteralKind(name, value);
        if (kind) {
          violations.push({
            path: `${c.path}.env[${i}].value`,
            message: `environment variable "${name}" of container "${c.name}" holds a literal value that looks like ${kind}`,
          });
        }
      }
    }
    return violations;
  },
});
