import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type { K8sObject } from '../../../src/core/types';
import { checkObjects } from '../../../src/engine/engine';
import { IMAGE_RULES } from '../../../src/rules/image';
import { WORKLOAD_RULES } from '../../../src/rules/workload';
import { PINNED } from '../../supply-chain/fixtures';

const MY_IDS = [...IMAGE_RULES, ...WORKLOAD_RULES].map((r) => r.id);

function check(objects: K8sObject[]) {
  const result = checkObjects(objects.map((object) => ({ object })), { rules: MY_IDS });
  expect(result.problems).toEqual([]);
  return result.findings.map((f) => `${f.ruleId} ${f.kind} ${f.path}`);
}

describe('plain cdk8s-plus-27 output', () => {
  test('a default Deployment (2 replicas) has no budget and no spreading', () => {
    const chart = new Chart(Testing.app(), 'c');
    new kplus.Deployment(chart, 'web', { containers: [{ image: PINNED, portNumber: 8080 }] });
    expect(check(Testing.synth(chart))).toEqual([
      'workload-pdb-missing Deployment spec.replicas',
      'workload-spread-or-anti-affinity Deployment spec.template.spec.topologySpreadConstraints',
    ]);
  });

  test('scheduling.spread plus a budget on the Deployment\'s selector is clean', () => {
    const chart = new Chart(Testing.app(), 'c');
    const deployment = new kplus.Deployment(chart, 'web', { replicas: 3, containers: [{ image: PINNED, portNumber: 8080 }] });
    deployment.scheduling.spread({ topology: kplus.Topology.HOSTNAME });
    const [synthesized] = Testing.synth(chart);
    const selector = synthesized.spec.selector;
    new ApiObject(chart, 'pdb', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: {}, spec: { maxUnavailable: 1, selector } } as never);
    expect(check(Testing.synth(chart))).toEqual([]);
  });

  test('tags, privileged and SSH ports, secrets in env and host mounts are reported at their paths', () => {
    const chart = new Chart(Testing.app(), 'c');
    const secret = kplus.Secret.fromSecretName(chart, 'db', 'db');
    const deployment = new kplus.Deployment(chart, 'web', {
      replicas: 1,
      containers: [
        {
          image: 'nginx:1.27',
          portNumber: 80,
          envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }), API_TOKEN: kplus.EnvValue.fromValue('t0k3n-value') },
        },
      ],
    });
    deployment.addVolume(kplus.Volume.fromHostPath(chart, 'sock', 'sock', { path: '/var/run/docker.sock' }));
    deployment.exposeViaService({ ports: [{ port: 22, targetPort: 80 }] });
    expect(check(Testing.synth(chart))).toEqual([
      'image-digest Deployment spec.template.spec.containers[0].image',
      // No image-pull-policy finding: cdk8s-plus sets imagePullPolicy: Always, which suits a tag.
      'workload-env-secret-literal Deployment spec.template.spec.containers[0].env[1].value',
      'workload-host-access-outside-daemonset Deployment spec.template.spec.volumes[0].hostPath',
      'workload-privileged-port Deployment spec.template.spec.containers[0].ports[0].containerPort',
      'workload-secret-env-var Deployment spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef',
      'workload-sensitive-host-mount Deployment spec.template.spec.volumes[0].hostPath.path',
      'workload-ssh-port Service spec.ports[0]',
    ]);
  });
});
