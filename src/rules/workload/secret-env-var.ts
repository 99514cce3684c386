import { asArray, asObject, asString, isObject } from '../../core/json';
import { Severity } from '../../core/types';
import { everyContainer } from '../kit/cel';
import { podRule, Violation } from '../rule';

/** Secrets in environment variables leak through the process environment; files are safer. */
export default podRule({
  id: 'workload-secret-env-var',
  title: 'Prefer Secret volumes over Secrets in environment variables',
  area: 'workload',
  severity: Severity.LOW,
  level: 'restricted',
  rationale:
    'Environment variables are inherited by every child process, printed by crash handlers and debug endpoints, visible in /proc/<pid>/environ and frozen at container start (a rotated Secret is not picked up). A Secret mounted as a file has file permissions, can be read only where needed and is updated in place.',
  remediation:
    'Mount the Secret as a volume (readOnly, defaultMode 0400) and read the file; replace valueFrom.secretKeyRef and envFrom.secretRef. When the application can only read the environment, waive workload-secret-env-var with that reason.',
  references: {
    cis: '5.4.1',
    kubeLinter: 'read-secret-from-env-var',
    kubesec: 'SecretsAsEnvironmentVariables',
    kyverno: 'secrets-not-from-env-vars',
  },
  admission: {
    validations: [everyContainer({
      ok: '(!has(c.env) || c.env.all(e, !(has(e.valueFrom) && has(e.valueFrom.secretKeyRef)))) && (!has(c.envFrom) || c.envFrom.all(e, !has(e.secretRef)))',
      problem: 'reads a Secret into its environment (env valueFrom.secretKeyRef or envFrom secretRef)',
    })],
  },
  check(pod) {
    const violations: Violation[] = [];
    const containers = pod.containers;
    for (let ci = 0; ci < containers.length; ci++) {
      const c = containers[ci];
      const envEntries = asArray(c.container.env);
      for (let i = 0; i < envEntries.length; i++) {
        const entry = envEntries[i];
        const env = asObject(entry);
        const ref = asObject(env.valueFrom).secretKeyRef;
        if (isObject(ref)) {
          violations.push({
            path: `${c.path}.env[${i}].valueFrom.secretKeyRef`,
            message: `environment variable "${asString(env.name) ?? ''}" of container "${c.name}" reads Secret "${asString(ref.name) ?? ''}"`,
          });
        }
      }
      const envFromEntries = asArray(c.container.envFrom);
      for (let i = 0; i < envFromEntries.length; i++) {
        const entry = envFromEntries[i];
        const ref = asObject(entry).secretRef;
        if (isObject(ref)) {
          violations.push({
            path: `${c.path}.envFrom[${i}].secretRef`,
            message: `container "${c.name}" loads every key of Secret "${asString(ref.name) ?? ''}" into its environment`,
          });
        }
      }
    }
    return violations;
  },
});
