import { pod, violations } from './support';
import { checkObjects } from '../../../src/engine/engine';
import { POD_RULES } from '../../../src/rules/pod';

const ID = 'pod-restricted-volumes';

describe(ID, () => {
  test('passes every allowed volume type and a volume without source (defaulted to emptyDir)', () => {
    const volumes = [
      { name: 'a', configMap: { name: 'c' } },
      { name: 'b', csi: { driver: 'd' } },
      { name: 'c', downwardAPI: {} },
      { name: 'd', emptyDir: {} },
      { name: 'e', ephemeral: { volumeClaimTemplate: {} } },
      { name: 'f', image: { reference: 'r' } },
      { name: 'g', persistentVolumeClaim: { claimName: 'x' } },
      { name: 'h', projected: { sources: [] } },
      { name: 'i', secret: { secretName: 's' } },
      { name: 'j' },
      { name: 'k', hostPath: null, emptyDir: {} },
    ];
    expect(violations(ID, pod({ volumes }))).toEqual([]);
  });

  test('reports every other volume type at its source field', () => {
    const volumes = [{ name: 'ok', emptyDir: {} }, { name: 'host', hostPath: { path: '/' } }, { name: 'nfs', nfs: { server: 's', path: '/' } }, { name: 'git', gitRepo: { repository: 'r' } }];
    expect(violations(ID, pod({ volumes }))).toEqual([
      { path: 'spec.volumes[1].hostPath', message: 'volume "host" uses volume type "hostPath", which is not allowed at restricted' },
      { path: 'spec.volumes[2].nfs', message: 'volume "nfs" uses volume type "nfs", which is not allowed at restricted' },
      { path: 'spec.volumes[3].gitRepo', message: 'volume "git" uses volume type "gitRepo", which is not allowed at restricted' },
    ]);
  });

  test('a forbidden source hidden beside an allowed one is still reported; unknown keys are too', () => {
    expect(violations(ID, pod({ volumes: [{ name: 'x', emptyDir: {}, hostPath: { path: '/' } }, { name: 'y', emptydir: {} }] })).map((v) => v.path)).toEqual([
      'spec.volumes[0].hostPath',
      'spec.volumes[1].emptydir',
    ]);
  });

  test('malformed volumes are reported', () => {
    expect(violations(ID, pod({ volumes: ['tmp', { name: 'z', secret: 'token' }] }))).toEqual([
      { path: 'spec.volumes[0]', message: 'volume #0 is "tmp", not a volume object' },
      { path: 'spec.volumes[1].secret', message: 'volume "z" sets secret to "token", which is not an object' },
    ]);
  });

  test('replaces pod-host-path-volumes at restricted', () => {
    const result = checkObjects([{ object: pod({ volumes: [{ name: 'h', hostPath: { path: '/' } }] }) }], { catalog: POD_RULES, rules: [ID, 'pod-host-path-volumes'] });
    expect(result.findings.map((f) => f.ruleId)).toEqual([ID]);
  });
});
