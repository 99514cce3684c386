import * as kplus from 'cdk8s-plus-27';
import { deployment, hardenedSpec, pod, run, violations, waiverMetadata } from './support';
import { HardenedDeployment } from '../../../src';
import { newChart, ofKind, synth, webContainer } from '../../constructs/helpers';

describe('pod-share-process-namespace', () => {
  const ID = 'pod-share-process-namespace';
  test('reports true and malformed values', () => {
    expect(violations(ID, pod({ shareProcessNamespace: true }))).toEqual([
      { path: 'spec.shareProcessNamespace', message: 'pod shares one process namespace between its containers (shareProcessNamespace: true)' },
    ]);
    expect(violations(ID, pod({ shareProcessNamespace: 'yes' }))[0].message).toBe('pod sets shareProcessNamespace to "yes", which is not a boolean');
  });
  test('passes unset and false', () => {
    expect(violations(ID, pod(hardenedSpec()))).toEqual([]);
    expect(violations(ID, pod({ shareProcessNamespace: false }))).toEqual([]);
  });
});

describe('pod-tolerate-all-taints', () => {
  const ID = 'pod-tolerate-all-taints';
  test('reports operator Exists without a key (or with an empty key), on templates too', () => {
    const spec = { tolerations: [{ operator: 'Exists' }, { key: 'dedicated', operator: 'Exists' }, { key: '', operator: 'Exists', effect: 'NoSchedule' }] };
    expect(violations(ID, deployment(spec))).toEqual([
      { path: 'spec.template.spec.tolerations[0]', message: 'toleration 0 (operator Exists) has no key, so it tolerates every taint: control-plane and dedicated nodes included' },
      { path: 'spec.template.spec.tolerations[2]', message: 'toleration 2 (operator Exists, effect "NoSchedule") has no key, so it tolerates every taint: control-plane and dedicated nodes included' },
    ]);
  });
  test('passes tolerations of named taints', () => {
    expect(violations(ID, pod({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }] }))).toEqual([]);
  });
  test('a node agent records a waiver', () => {
    const result = run(ID, deployment({ tolerations: [{ operator: 'Exists' }] }, waiverMetadata(ID, 'log shipper runs on every node')));
    expect(result.findings).toEqual([]);
    expect(result.waived).toHaveLength(1);
  });
});

describe('pod-critical-priority-class', () => {
  const ID = 'pod-critical-priority-class';
  test('reports the system-critical classes outside kube-system (no namespace means default)', () => {
    expect(violations(ID, pod({ priorityClassName: 'system-node-critical' }))).toEqual([
      { path: 'spec.priorityClassName', message: 'pod in namespace "ns" uses priority class system-node-critical, which Kubernetes reserves for kube-system components' },
    ]);
    expect(violations(ID, pod({ priorityClassName: 'system-cluster-critical' }, { namespace: undefined }))[0].message).toContain('namespace "default"');
  });
  test('passes kube-system pods and other classes', () => {
    expect(violations(ID, pod({ priorityClassName: 'system-cluster-critical' }, { namespace: 'kube-system' }))).toEqual([]);
    expect(violations(ID, pod({ priorityClassName: 'high-priority' }))).toEqual([]);
  });
});

describe('synth: a hardened workload that tolerates every taint fails unless waived', () => {
  test('NodeTaintQuery.any() on a HardenedDeployment violates pod-tolerate-all-taints at synth', () => {
    const { app, chart } = newChart();
    const web = new HardenedDeployment(chart, 'web', { containers: [webContainer()] });
    web.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.any()));
    expect(() => app.synthYaml()).toThrow(/violates pod-tolerate-all-taints \(high\) at Deployment\/.*spec\.template\.spec\.tolerations\[0\]/);
  });

  test('with a waiver it synthesizes, and the waiver is recorded', () => {
    const { app, chart } = newChart();
    const web = new HardenedDeployment(chart, 'web', { containers: [webContainer()], waivers: [{ ruleId: 'pod-tolerate-all-taints', reason: 'cluster-wide cache warmer runs on every node' }] });
    web.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.any()));
    const [object] = ofKind(synth(app), 'Deployment');
    expect(object.spec.template.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });
});
