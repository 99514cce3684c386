import { asObject, isObject } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule, Violation } from '../rule';
import { secretLiteralKind } from './secret-patterns';

/** A ConfigMap is for configuration: readable by every role that may read the namespace's config, unencrypted in etcd. */
export default objectRule({
  id: 'workload-configmap-secret-literal',
  title: 'No secrets in ConfigMap data',
  area: 'workload',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: ['ConfigMap'],
  rationale:
    'ConfigMaps are not Secrets: the built-in view role reads them, encryption at rest usually covers only Secrets, and they are printed by every `kubectl get -o yaml`. A credential in `data` is exposed to everyone who may read the namespace\'s configuration and lives in Git with the manifest. Flagged with the patterns of workload-env-secret-literal: keys named like PASSWORD, SECRET, TOKEN, API_KEY or CREDENTIALS with a literal value, and values shaped like private keys, cloud and forge tokens, JWTs or URLs with a password, whatever the key. The finding never repeats the value.',
  remediation:
    'Rotate the exposed credential, move it into a Secret (or an external secret store) and mount or reference that instead; keep only non-secret settings in the ConfigMap.',
  references: {
    cis: '5.4.1',
    links: ['https://kubernetes.io/docs/concepts/configuration/configmap/', 'https://kubernetes.io/docs/concepts/configuration/secret/'],
  },
  notAtAdmission: 'the secret patterns split key names into words, which CEL cannot do the same way; judged by the checker and at synth',
  check(configMap) {
    const data = configMap.object.data;
    if (data === undefined || data === null) return [];
    if (!isObject(data)) return [{ path: 'data', message: `ConfigMap data is ${JSON.stringify(data)}, not a mapping of keys to strings` }];
    const violations: Violation[] = [];
    for (const key of Object.keys(asObject(data)).sort()) {
      const value = data[key];
      if (typeof value !== 'string') continue;
      const kind = secretLiteralKind(key, value);
      if (kind) violations.push({ path: `data.${key}`, message: `ConfigMap key "${key}" holds a literal value that looks like ${kind}` });
    }
    return violations;
  },
});
