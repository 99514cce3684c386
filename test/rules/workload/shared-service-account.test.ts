import { WAIVERS_ANNOTATION } from '../../../src/core/waivers';
import { checkObjects } from '../../../src/engine/engine';
import { fromYaml } from '../../network/yaml';

const ID = 'workload-shared-service-account';
const workload = (kind: string, name: string, account?: string, annotations = '{}') => `
---
apiVersion: ${kind === 'Pod' ? 'v1' : 'apps/v1'}
kind: ${kind}
metadata: { name: ${name}, namespace: shop, annotations: ${annotations} }
spec: ${kind === 'Pod'
  ? `{ ${account ? `serviceAccountName: ${account}, ` : ''}containers: [{ name: a, image: a }] }`
  : `{ selector: { matchLabels: { app: ${name} } }, template: { metadata: { labels: { app: ${name} } }, spec: { ${account ? `serviceAccountName: ${account}, ` : ''}containers: [{ name: a, image: a }] } } }`}
`;
const BINDING = `
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: operator, namespace: shop }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: secrets-writer }
subjects: [{ kind: ServiceAccount, name: operator, namespace: shop }]
`;
const findings = (text: string) => {
  const result = checkObjects(fromYaml(text), { rules: [ID] });
  expect(result.problems).toEqual([]);
  return result.findings.map((f) => `${f.kind}/${f.name} ${f.path}: ${f.message}`);
};

describe(ID, () => {
  test('a pod that borrows the ServiceAccount of a workload with grants is reported, with the other user', () => {
    expect(findings(workload('Deployment', 'operator', 'operator') + workload('Pod', 'debug', 'operator') + BINDING)).toEqual([
      'Deployment/operator spec.template.spec.serviceAccountName: Deployment/operator runs as ServiceAccount shop/operator, which Pod/debug also uses; the account holds RoleBinding/shop/operator -> Role/secrets-writer',
      'Pod/debug spec.serviceAccountName: Pod/debug runs as ServiceAccount shop/operator, which Deployment/operator also uses; the account holds RoleBinding/shop/operator -> Role/secrets-writer',
    ]);
  });

  test('negative controls: one user with grants, or several users of an account without grants, pass', () => {
    expect(findings(workload('Deployment', 'operator', 'operator') + BINDING)).toEqual([]);
    expect(findings(workload('Deployment', 'a', 'shared') + workload('Deployment', 'b', 'shared') + BINDING)).toEqual([]);
    // The same name in another namespace is another account.
    expect(findings(workload('Deployment', 'operator', 'operator') + BINDING + workload('Pod', 'debug', 'operator').replace('namespace: shop', 'namespace: other'))).toEqual([]);
  });

  test('the default ServiceAccount with grants, used by pods that name no account, is shared too', () => {
    const binding = BINDING.replace('name: operator, namespace: shop }\nroleRef', 'name: d, namespace: shop }\nroleRef').replace('{ kind: ServiceAccount, name: operator, namespace: shop }', '{ kind: ServiceAccount, name: default }');
    expect(findings(workload('Deployment', 'a') + workload('Deployment', 'b') + binding)).toHaveLength(2);
  });

  test('a waiver on a workload covers it', () => {
    const waiver = `{ ${WAIVERS_ANNOTATION}: '${JSON.stringify([{ ruleId: ID, reason: 'the one-off migration job of the operator itself' }])}' }`;
    const result = checkObjects(fromYaml(workload('Deployment', 'operator', 'operator', waiver) + workload('Pod', 'debug', 'operator') + BINDING), { rules: [ID] });
    expect(result.findings.map((f) => f.name)).toEqual(['debug']);
    expect(result.waived.map((f) => f.name)).toEqual(['operator']);
  });
});

test('an account shared by many workloads names five other users and counts the rest', () => {
  const many = Array.from({ length: 8 }, (_, i) => workload('Pod', `p${i}`, 'operator')).join('');
  const messages = checkObjects(fromYaml(many + BINDING), { rules: [ID] }).findings.map((f) => f.message);
  expect(messages).toHaveLength(8);
  expect(messages[0]).toBe('Pod/p0 runs as ServiceAccount shop/operator, which Pod/p1, Pod/p2, Pod/p3, Pod/p4, Pod/p5 and 2 more also use; the account holds RoleBinding/shop/operator -> Role/secrets-writer');
});
