/**
 * The webapp example, applied to a cluster running its own admission policies: every object it deploys is admitted
 * by every policy (with the params ConfigMap it ships), and the same objects with the waivers moved to a namespace
 * the params do not name are denied. This is the check `npm run example` relies on (scripts/run-examples.ts).
 */
import { App } from 'cdk8s';
import * as jsYaml from 'js-yaml';
import { admissionVerdicts } from './admit';
import { buildWebapp } from '../../examples/webapp/webapp';
import type { K8sObject } from '../../src/core/types';

function objects(): K8sObject[] {
  const app = new App();
  buildWebapp(app);
  return (jsYaml.loadAll(app.synthYaml()) as K8sObject[]).filter((o) => o !== null && o !== undefined);
}

describe('examples/webapp at admission', () => {
  const all = objects();

  test('every deployed object is admitted by every policy of the example', () => {
    const verdict = admissionVerdicts(all);
    expect(verdict.policies).toBeGreaterThanOrEqual(39);
    expect(verdict.judged).toBeGreaterThan(150);
    expect(verdict.denials).toEqual([]);
  });

  test('the log agent moved to the shop namespace is denied: its waivers are permitted only in node-agents', () => {
    const moved = all.map((o) => (o.kind === 'DaemonSet' ? { ...o, metadata: { ...(o.metadata as object), namespace: 'shop' } } : o));
    // At restricted, pod-restricted-volumes replaces pod-host-path-volumes: one denial for the hostPath volume.
    const denials = admissionVerdicts(moved).denials.map((d) => d.split(':')[0].replace(/-c8[0-9a-f]{6}$/, ''));
    expect(denials).toEqual(['pod-restricted-volumes.hardened.cdk8s.io on DaemonSet shop/node-agents-log-agent']);
  });
});
