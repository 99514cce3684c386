import { deployment, pod, violations } from './support';

const ID = 'pod-apparmor-profile';
const ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/app';

describe(ID, () => {
  test('passes RuntimeDefault and Localhost profiles, unset profiles and allowed annotation values', () => {
    const spec = {
      securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'app', securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } } }, { name: 'b' }],
    };
    expect(violations(ID, pod(spec))).toEqual([]);
    for (const value of ['runtime/default', 'localhost/custom', '']) {
      expect(violations(ID, pod({ containers: [{ name: 'app' }] }, { annotations: { [ANNOTATION]: value } }))).toEqual([]);
    }
  });

  test('reports Unconfined at pod and container level separately', () => {
    const spec = {
      securityContext: { appArmorProfile: { type: 'Unconfined' } },
      containers: [{ name: 'app' }],
      initContainers: [{ name: 'init', securityContext: { appArmorProfile: { type: 'Unconfined' } } }],
    };
    expect(violations(ID, pod(spec))).toEqual([
      { path: 'spec.initContainers[0].securityContext.appArmorProfile.type', message: 'init container "init" sets securityContext.appArmorProfile.type to "Unconfined" (allowed: "RuntimeDefault", "Localhost")' },
      { path: 'spec.securityContext.appArmorProfile.type', message: 'pod sets securityContext.appArmorProfile.type to "Unconfined" (allowed: "RuntimeDefault", "Localhost")' },
    ]);
  });

  test('a profile without a type is reported (the API requires one)', () => {
    expect(violations(ID, pod({ containers: [{ name: 'c', securityContext: { appArmorProfile: {} } }] }))[0].message).toContain('appArmorProfile.type to (missing)');
  });

  test('reports the legacy annotation form on the pod template', () => {
    expect(violations(ID, deployment({ containers: [{ name: 'app' }] }, { annotations: { [ANNOTATION]: 'unconfined' } }))).toEqual([
      {
        path: `spec.template.metadata.annotations["${ANNOTATION}"]`,
        message: `annotation ${ANNOTATION} sets the AppArmor profile of container "app" to "unconfined" (allowed: "runtime/default", "localhost/<profile>")`,
      },
    ]);
  });
});
