import { ApiObject, Include, Testing } from 'cdk8s';
import { cli, PINNED, tempDir, write } from './helpers';
import { Hardening, HardenedValidation } from '../../src';
import { synthError } from '../util/synth';

/**
 * The checker judges what `kubectl apply` sends: lists of any kind, the last of duplicates, kinds with pod
 * templates it does not know, objects without identity, cdk8s' empty files and `kubectl apply -n`. The kubectl
 * behaviour each test mirrors was measured with `kubectl annotate --local -f FILE x=y -o json` (kubectl 1.32).
 */

const PRIVILEGED = { containers: [{ name: 'app', image: 'nginx', securityContext: { privileged: true } }] };
const privilegedPod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop' },
  spec: PRIVILEGED,
  ...extra,
});
const yamlOf = (...objects: unknown[]) => objects.map((o) => JSON.stringify(o)).join('\n---\n');

describe('lists: any document with items is a list, as in kubectl', () => {
  const dir = tempDir();

  test('a ConfigMap carrying items applies (and is judged as) only its items', async () => {
    const file = write(dir, 'configmap-list.yaml', yamlOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' }, items: [privilegedPod('hidden')] }));
    const run = await cli(['check', ...PINNED, file, '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: any) => `${f.kind}/${f.name}`)).toEqual(['Pod/hidden']);
  });

  test('a list inside a list, an item that is no object and items that are no list are refused, like kubectl', async () => {
    const nested = write(dir, 'nested.yaml', yamlOf({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'List', items: [privilegedPod('deep')] }] }));
    const junk = write(dir, 'junk.yaml', yamlOf({ apiVersion: 'v1', kind: 'PodList', items: [5] }));
    const mapping = write(dir, 'mapping.yaml', yamlOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, items: { a: 1 } }));
    const run = await cli(['check', ...PINNED, nested, junk, mapping]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('List items[0] is itself a list');
    expect(run.stdout).toContain('PodList items[0] is a number, not an object');
    expect(run.stdout).toContain('Pod has an "items" key, so kubectl reads it as a list, but items is a mapping');
  });

  test('an item whose own items is not a list is an ordinary object (kubectl applies it)', async () => {
    const file = write(dir, 'item-items.yaml', yamlOf({ apiVersion: 'v1', kind: 'List', items: [privilegedPod('odd', { items: null })] }));
    const run = await cli(['check', ...PINNED, file, '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: any) => f.name)).toEqual(['odd']);
  });

  test('Hardening.enforce expands a raw List ApiObject and an Included list file exactly as the CLI does', () => {
    const chart = Testing.chart();
    Hardening.enforce(chart, { skip: ['ns-default-deny-ingress'] });
    new ApiObject(chart, 'list', { apiVersion: 'v1', kind: 'List', items: [privilegedPod('in-list')] } as any);
    new ApiObject(chart, 'podlist', { apiVersion: 'v1', kind: 'PodList', items: [privilegedPod('in-podlist')] } as any);
    const file = write(dir, 'included-list.yaml', yamlOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, items: [privilegedPod('in-include')] }));
    new Include(chart, 'inc', { url: file });
    const message = synthError(() => Testing.synth(chart));
    expect(message).toMatch(/pod-privileged\s+critical\s+Pod\/shop\/in-list \(test\/list\)/);
    expect(message).toMatch(/pod-privileged\s+critical\s+Pod\/shop\/in-podlist \(test\/podlist\)/);
    expect(message).toMatch(/pod-privileged\s+critical\s+Pod\/shop\/in-include \(test\/inc\//);
  });

  test('Hardening.enforce refuses what kubectl refuses in a list', () => {
    const chart = Testing.chart();
    Hardening.enforce(chart);
    new ApiObject(chart, 'junk', { apiVersion: 'v1', kind: 'List', items: ['not an object'] } as any);
    expect(synthError(() => Testing.synth(chart))).toMatch(/input problem: test\/junk: List items\[0\] is a string, not an object/);
  });
});

describe('duplicates: kubectl applies the last one, the checker says so', () => {
  const dir = tempDir();
  const denyAll = (name: string, ns = 'shop') => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  });
  const allowAll = { ...denyAll('default-deny-ingress'), spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] } };

  test('a weaker second default-deny-ingress in another file is an input problem naming both locations', async () => {
    const first = write(dir, 'a.yaml', yamlOf(denyAll('default-deny-ingress')));
    const second = write(dir, 'b.yaml', yamlOf(allowAll));
    const run = await cli(['check', first, second, '--rule', 'ns-default-deny-ingress']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`NetworkPolicy shop/default-deny-ingress is defined twice, at ${first}:1 and at ${second}:1; kubectl applies only the last one`);
  });

  test('in one file; a namespace-less copy is the same object as one in default; other namespaces and kinds are not duplicates', async () => {
    const pod = (name: string, namespace?: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(namespace ? { namespace } : {}) }, spec: { containers: [{ name: 'a', image: 'x' }] } });
    const file = write(dir, 'one.yaml', yamlOf(pod('p'), pod('p', 'default'), pod('p', 'other'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' } }));
    const run = await cli(['check', ...PINNED, file]);
    expect(run.code).toBe(2);
    expect(run.stdout.match(/is defined twice/g)).toHaveLength(1);
    expect(run.stdout).toContain(`Pod default/p is defined twice, at ${file}:1 and at ${file}:3`);
  });

  test('Hardening.enforce reports two ApiObjects that are one object in the cluster', () => {
    const chart = Testing.chart();
    Hardening.enforce(chart, { skip: ['ns-default-deny-ingress'] });
    new ApiObject(chart, 'first', denyAll('default-deny-ingress', 'shop') as any);
    new ApiObject(chart, 'second', allowAll as any);
    expect(synthError(() => Testing.synth(chart))).toContain('NetworkPolicy shop/default-deny-ingress is defined twice, at test/first and at test/second');
  });
});

describe('kinds outside the catalog that carry a pod template are judged', () => {
  const dir = tempDir();
  const template = { metadata: { labels: { app: 'x' } }, spec: { hostPID: true, ...PRIVILEGED } };
  const deploymentConfig = { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'dc', namespace: 'shop' }, spec: { replicas: 1, template } };
  const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'ro', namespace: 'shop' }, spec: { template } };
  const scheduled = { apiVersion: 'example.com/v1', kind: 'ScheduledThing', metadata: { name: 'cron', namespace: 'shop' }, spec: { jobTemplate: { spec: { template } } } };

  test('DeploymentConfig, Rollout and a jobTemplate holder fail, naming their kind', async () => {
    const file = write(dir, 'foreign.yaml', yamlOf(deploymentConfig, rollout, scheduled));
    const run = await cli(['check', file, '--rule', 'pod-privileged,pod-host-namespaces', '--format', 'json']);
    expect(run.code).toBe(1);
    const found = JSON.parse(run.stdout).findings.map((f: any) => `${f.ruleId} ${f.kind}/${f.name} ${f.path}`);
    expect(found).toEqual(expect.arrayContaining([
      'pod-privileged DeploymentConfig/dc spec.template.spec.containers[0].securityContext.privileged',
      'pod-host-namespaces DeploymentConfig/dc spec.template.spec.hostPID',
      'pod-privileged Rollout/ro spec.template.spec.containers[0].securityContext.privileged',
      'pod-privileged ScheduledThing/cron spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged',
    ]));
  });

  test('Hardening.enforce judges them too', () => {
    const chart = Testing.chart();
    Hardening.enforce(chart);
    new ApiObject(chart, 'dc', deploymentConfig as any);
    expect(synthError(() => Testing.synth(chart))).toMatch(/pod-privileged\s+critical\s+DeploymentConfig\/shop\/dc/);
  });
});

describe('objects no rule judges are said in every format', () => {
  const dir = tempDir();
  const file = write(dir, 'crd.yaml', yamlOf({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'tls', namespace: 'shop' }, spec: { secretName: 'tls' } }));

  test('JSON lists the object under notJudged (and names it on stderr); SARIF carries a note notification; JUnit a skipped case', async () => {
    const json = await cli(['check', ...PINNED, file, '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      findings: [],
      waived: [],
      warnings: [],
      notJudged: [{ kind: 'Certificate', namespace: 'shop', name: 'tls', file, line: 1 }],
      problems: [],
      notes: [],
    });
    expect(json.stderr).toContain(`note: ${file}:1: Certificate shop/tls was not judged: no selected rule judges kind Certificate`);

    const sarif = JSON.parse((await cli(['check', ...PINNED, file, '--format', 'sarif'])).stdout);
    const notifications = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(notifications).toEqual([expect.objectContaining({ level: 'note', message: { text: 'Certificate shop/tls was not judged: no selected rule judges kind Certificate' } })]);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(true);

    const junit = (await cli(['check', ...PINNED, file, '--format', 'junit'])).stdout;
    expect(junit).toContain('name="not-judged"><skipped message="not judged: no selected rule judges kind Certificate"/>');
    expect(junit).toMatch(/<testsuites name="cdk8s-hardened" tests="1" failures="0" errors="0" skipped="1">/);
  });
});

describe('objects without metadata or name', () => {
  const dir = tempDir();

  test('are judged, and the missing identity is an input problem too', async () => {
    const file = write(dir, 'snippet.yaml', yamlOf({ apiVersion: 'v1', kind: 'Pod', spec: PRIVILEGED }, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { labels: { a: 'b' } }, spec: { template: { spec: PRIVILEGED } } }));
    const run = await cli(['check', ...PINNED, file, '--format', 'json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).findings.map((f: any) => `${f.ruleId} ${f.kind}`)).toEqual(['pod-privileged Pod', 'pod-privileged Deployment']);
    expect(run.stderr).toContain('Pod has no metadata (kubectl refuses it without metadata.name; judged anyway)');
    expect(run.stderr).toContain('Deployment has no metadata.name (kubectl refuses it; judged anyway)');
    // JUnit gives their findings failure cases, next to the error cases of the missing identity.
    const junit = (await cli(['check', ...PINNED, file, '--format', 'junit'])).stdout;
    expect(junit).toContain('classname="' + file + '.Pod (no name)" name="pod-privileged">');
    expect(junit).toMatch(/tests="4" failures="2" errors="2"/);
  });
});

describe('empty files that cdk8s writes', () => {
  const dir = tempDir();
  const empty = write(dir, 'dist/shop.k8s.yaml', '');
  const objects = write(dir, 'dist/shop-ns.k8s.yaml', yamlOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ok', namespace: 'shop' }, spec: { containers: [{ name: 'a', image: 'x' }] } }));

  test('check dist/*.yaml passes when one named file is empty and another holds the objects', async () => {
    const run = await cli(['check', ...PINNED, empty, objects]);
    expect(run.stdout).not.toContain('holds no Kubernetes objects');
    expect(run.code).toBe(0);
  });

  test('a set of inputs with no object at all stays exit 2', async () => {
    const run = await cli(['check', ...PINNED, empty]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('shop.k8s.yaml holds no Kubernetes objects');
  });

  test('the plugin passes clean output with an empty chart file', async () => {
    let status: string | undefined;
    const violations: unknown[] = [];
    const report = { addViolation: (v: unknown) => violations.push(v), submit: (s: string) => (status = s) };
    const context = { manifests: [empty, objects], report };
    await new HardenedValidation({ rules: ['pod-privileged'] }).validate(context);
    expect(violations).toEqual([]);
    expect(status).toBe('success');
  });
});

describe('--namespace reads namespace-less objects as kubectl apply -n does', () => {
  const dir = tempDir();
  const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app' } };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'app-read' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read' },
    subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'shop' }],
  };
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'read' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] };
  const clusterRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'viewer' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] };
  const file = write(dir, 'app.yaml', yamlOf(sa, role, binding, clusterRole));

  test('without it, a binding to a ServiceAccount of the same file is dangling, and the CLI says once that objects were read as default', async () => {
    const run = await cli(['check', file, '--rule', 'rbac-dangling-binding']);
    expect(run.code).toBe(1);
    expect(run.stdout.match(/read as namespace "default"/g)).toHaveLength(1);
    expect(run.stdout).toContain('3 namespaced objects have no metadata.namespace');
  });

  test('with --namespace shop the binding finds its ServiceAccount; cluster-scoped kinds stay cluster-scoped', async () => {
    const run = await cli(['check', file, '--rule', 'rbac-dangling-binding', '--namespace', 'shop']);
    expect(run.stdout).not.toContain('read as namespace');
    expect(run.code).toBe(0);
    // The posture report draws the binding in its namespace, not as cluster-wide.
    const report = await cli(['report', file, '--namespace', 'shop', '--rule', 'rbac-dangling-binding']);
    expect(report.stdout).toContain('| ServiceAccount shop/app | namespace shop |');
    expect(report.stdout).toContain('RoleBinding shop/app-read -> Role read');
  });

  test('an object in another namespace is refused, as kubectl refuses it', async () => {
    const other = write(dir, 'other.yaml', yamlOf({ ...sa, metadata: { name: 'x', namespace: 'prod' } }));
    const run = await cli(['check', other, '--rule', 'rbac-dangling-binding', '--namespace', 'shop']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('its namespace "prod" differs from --namespace "shop"; kubectl refuses such an object');
  });

  test('the config file key and the plugin property do the same; a bad name is a usage error', async () => {
    const config = write(dir, 'hardened.yaml', 'namespace: shop\n');
    expect((await cli(['check', file, '--rule', 'rbac-dangling-binding', '--config', config])).code).toBe(0);
    expect((await cli(['check', file, '--namespace', 'Not_A_Name'])).code).toBe(2);
    expect((await cli(['check', file, '--config', write(dir, 'bad.yaml', 'namespace: [shop]\n')])).stderr).toContain('namespace: must be a string');

    let status: string | undefined;
    const context = { manifests: [file], report: { addViolation: () => undefined, submit: (s: string) => (status = s) } };
    await new HardenedValidation({ rules: ['rbac-dangling-binding'], namespace: 'shop' }).validate(context);
    expect(status).toBe('success');
    await new HardenedValidation({ rules: ['rbac-dangling-binding'] }).validate(context);
    expect(status).toBe('failure');
  });
});
