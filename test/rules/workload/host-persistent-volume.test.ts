import { WAIVERS_ANNOTATION } from '../../../src/core/waivers';
import { checkObjects } from '../../../src/engine/engine';
import { findRule } from '../../../src/rules';
import { fromYaml } from '../../network/yaml';

const ID = 'workload-host-persistent-volume';
const pv = (name: string, spec: string, annotations = '{}') => `
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: ${name}, annotations: ${annotations} }
spec: ${spec}
`;

describe(ID, () => {
  test('hostPath and local PersistentVolumes are findings; a CSI volume passes', () => {
    const text =
      pv('root', '{ capacity: { storage: 1Gi }, accessModes: [ReadWriteOnce], hostPath: { path: / } }') +
      pv('disk', '{ capacity: { storage: 1Gi }, accessModes: [ReadWriteOnce], local: { path: /mnt/disks/ssd1 }, nodeAffinity: {} }') +
      pv('csi', '{ capacity: { storage: 1Gi }, accessModes: [ReadWriteOnce], csi: { driver: ebs.csi.aws.com, volumeHandle: vol-1 } }');
    const result = checkObjects(fromYaml(text), { rules: [ID] });
    expect(result.problems).toEqual([]);
    expect(result.findings.map((f) => `${f.name} ${f.path}: ${f.message}`)).toEqual([
      'disk spec.local: PersistentVolume is a local volume of node path "/mnt/disks/ssd1": every pod that claims it mounts the node',
      'root spec.hostPath: PersistentVolume is a hostPath of node path "/": every pod that claims it mounts the node',
    ]);
  });

  test('a local PersistentVolume with a waiver (read-only database disk) is reported as waived, not as a finding', () => {
    const waiver = `{ ${WAIVERS_ANNOTATION}: '${JSON.stringify([{ ruleId: ID, reason: 'node-local read-only reference data disk' }])}' }`;
    const result = checkObjects(fromYaml(pv('ref', '{ accessModes: [ReadOnlyMany], local: { path: /mnt/ref } }', waiver)), { rules: [ID] });
    expect(result.findings).toEqual([]);
    expect(result.waived.map((f) => f.waiver?.reason)).toEqual(['node-local read-only reference data disk']);
  });

  test('pod-restricted-volumes no longer presents a claim as safe without saying why', () => {
    expect(findRule('pod-restricted-volumes')!.remediation).toContain('one bound to a hostPath or local PersistentVolume still mounts the node');
  });
});
