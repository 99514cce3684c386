/**
 * One waiver format for every judge: the same object with the same waiver annotation and the same waiver policy
 * gets the same verdict from Hardening.enforce (synth), the engine (CLI, plugin) and admission; hardened
 * workloads refuse waiver metadata they did not write.
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { evaluatePolicy } from './cel-harness';
import { buildAdmissionPolicies } from '../../src/admission/policies';
import { HardenedDeployment } from '../../src/constructs/hardened-deployment';
import { Hardening } from '../../src/constructs/hardening';
import type { K8sObject } from '../../src/core/types';
import { WaiverPolicy } from '../../src/core/waiver-policy';
import { WAIVERS_ANNOTATION, waiverLabel } from '../../src/core/waivers';
import { checkObjects } from '../../src/engine/engine';
import { ALL_RULES } from '../../src/rules';
import { newChart, webContainer } from '../constructs/helpers';

const waiver = JSON.stringify([{ ruleId: 'pod-read-only-root-filesystem', reason: 'legacy app writes its pid file' }]);
const included = (namespace: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'legacy', namespace, annotations: { [WAIVERS_ANNOTATION]: waiver } },
  spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1', securityContext: { readOnlyRootFilesystem: false } }] },
});

/** The verdict of each judge on `object` for one rule: true when it is refused. */
function verdicts(object: K8sObject, policy: WaiverPolicy) {
  const rule = 'pod-read-only-root-filesystem';
  const engine = checkObjects([{ object }], { rules: [rule], waiverPolicy: policy }).findings.length > 0;
  const set = buildAdmissionPolicies({ rules: [rule], waiverPolicy: policy });
  const admission = evaluatePolicy(set.policies[0], object, { params: set.params }).failures.length > 0;
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  new ApiObject(chart, 'raw', object as any);
  // Only this rule runs, so synth fails exactly when its finding is not waived.
  Hardening.enforce(chart, { waivable: policy, skip: ALL_RULES.filter((r) => r.id !== rule).map((r) => r.id) });
  let synth = false;
  try {
    app.synth();
  } catch (e) {
    synth = /cdk8s-hardened: 1 finding/.test((e as Error).message);
  }
  return { engine, admission, synth };
}

describe('one waiver format, one verdict', () => {
  test('an Included object with a waiver annotation: the same verdict in synth, the engine and admission, with and without permission', () => {
    const permitted: WaiverPolicy = { namespaces: { shop: ['pod-read-only-root-filesystem'] } };
    expect(verdicts(included('shop'), permitted)).toEqual({ engine: false, admission: false, synth: false });
    expect(verdicts(included('other'), permitted)).toEqual({ engine: true, admission: true, synth: true });
    expect(verdicts(included('shop'), {})).toEqual({ engine: true, admission: true, synth: true });
  });

  test('a hardened workload refuses a hand-written waiver annotation on its pod template (it would bypass its own checks)', () => {
    const { app, chart } = newChart();
    const web = new HardenedDeployment(chart, 'web', { containers: [webContainer()], hostNetwork: true } as any);
    web.podMetadata.addAnnotation(WAIVERS_ANNOTATION, JSON.stringify([{ ruleId: 'pod-host-namespaces', reason: 'binds the node network' }]));
    expect(() => app.synth()).toThrow(/HardenedDeployment: its pod template carries annotation hardened\.cdk8s\.io\/waivers .* Fix: declare waivers with the waivers prop or addWaiver\(\)/);
    expect(Hardening.waiversOf(web)).toEqual([]);
  });

  test('a hardened workload refuses a hand-written exemption label, and accepts exactly what its waivers write', () => {
    const { app, chart } = newChart();
    const web = new HardenedDeployment(chart, 'web', { containers: [webContainer()] });
    web.metadata.addLabel(waiverLabel('pod-run-as-user'), 'true');
    expect(() => app.synth()).toThrow(/the workload carries label waive\.hardened\.cdk8s\.io\/pod-run-as-user, which none of its waivers writes/);
    const ok = newChart();
    const waived = new HardenedDeployment(ok.chart, 'web', { containers: [webContainer()], waivers: [{ ruleId: 'pod-run-as-user', reason: 'legacy image runs as uid 1000' }] });
    expect(() => ok.app.synth()).not.toThrow();
    expect(Hardening.waiversOf(waived)).toEqual([{ ruleId: 'pod-run-as-user', reason: 'legacy image runs as uid 1000' }]);
  });
});
