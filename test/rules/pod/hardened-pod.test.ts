import * as fc from 'fast-check';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Pod } from 'kubernetes-models/v1';
import { deployment, hardenedContainer, hardenedSpec, pod } from './support';
import { checkObjects } from '../../../src/engine/engine';
import { POD_RULES } from '../../../src/rules/pod';
import { problemsBesidesTypeErrors } from '../../util/problems';

describe('a hardened pod', () => {
  test('the fixture pod is schema-valid and passes every pod rule at restricted', () => {
    const spec = hardenedSpec({ initContainers: [hardenedContainer('init', { livenessProbe: undefined, readinessProbe: undefined })] });
    const objects = [pod(spec), deployment(spec)];
    expect(() => new Pod(objects[0] as never).validate()).not.toThrow();
    expect(() => new Deployment(objects[1] as never).validate()).not.toThrow();
    const result = checkObjects(objects.map((object) => ({ object })), { catalog: POD_RULES, level: 'restricted' });
    expect(result.problems).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.rulesRun).toHaveLength(POD_RULES.length - 4);
  });

  test('an empty pod spec breaks the restricted additions but no baseline rule', () => {
    // At baseline only the restricted Pod Security controls are left out; the library's own pod rules still run.
    const baseline = checkObjects([{ object: pod({ containers: [{ name: 'app', image: 'app' }] }) }], { catalog: POD_RULES, level: 'baseline' });
    expect(baseline.findings.filter((f) => POD_RULES.find((r) => r.id === f.ruleId)?.references.pss !== undefined)).toEqual([]);
    const restricted = checkObjects([{ object: pod({ containers: [{ name: 'app', image: 'app' }] }) }], { catalog: POD_RULES, level: 'restricted' });
    expect([...new Set(restricted.findings.map((f) => f.ruleId))].sort()).toEqual([
      'pod-allow-privilege-escalation',
      'pod-automount-service-account-token',
      'pod-capabilities-restricted',
      'pod-default-service-account',
      'pod-liveness-probe',
      'pod-read-only-root-filesystem',
      'pod-readiness-probe',
      'pod-resource-limits',
      'pod-resource-requests',
      'pod-run-as-high-uid',
      'pod-run-as-non-root',
      'pod-seccomp-restricted',
    ]);
  });

  test('property: arbitrary JSON anywhere in a pod spec never makes a pod rule throw', () => {
    const containerArb = fc.record(
      {
        name: fc.oneof(fc.string(), fc.anything()),
        securityContext: fc.anything(),
        ports: fc.anything(),
        resources: fc.anything(),
        livenessProbe: fc.anything(),
        lifecycle: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const specArb = fc.record(
      {
        containers: fc.oneof(fc.array(containerArb, { maxLength: 3 }), fc.anything()),
        initContainers: fc.oneof(fc.array(containerArb, { maxLength: 2 }), fc.anything()),
        ephemeralContainers: fc.anything(),
        volumes: fc.oneof(fc.array(fc.dictionary(fc.string(), fc.anything()), { maxLength: 3 }), fc.anything()),
        securityContext: fc.anything(),
        hostNetwork: fc.anything(),
        hostUsers: fc.anything(),
        os: fc.anything(),
        resources: fc.anything(),
        serviceAccountName: fc.anything(),
        automountServiceAccountToken: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(specArb, (spec) => {
        const inputs = [{ object: pod(spec) }, { object: deployment(spec) }];
        const result = checkObjects(inputs, { catalog: POD_RULES, level: 'restricted' });
        expect(problemsBesidesTypeErrors(inputs, result)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  test('no pod rule throws on wildly malformed pod specs', () => {
    const garbage: unknown[] = [null, 42, 'x', [], [1, 2], { a: 1 }, true];
    const objects = garbage.flatMap((value) => [
      pod({ containers: value, initContainers: value, ephemeralContainers: value, volumes: value, securityContext: value, hostNetwork: value }),
      pod({ containers: [{ name: 'c', securityContext: value, ports: value, resources: value, livenessProbe: value, lifecycle: value }] }),
      pod({ containers: [{ name: 'c', securityContext: { capabilities: value, seccompProfile: value, seLinuxOptions: value, appArmorProfile: value, windowsOptions: value } }] }),
      pod({ securityContext: { sysctls: value, seccompProfile: value, runAsUser: value }, volumes: [value] }),
    ]);
    const inputs = objects.map((object) => ({ object }));
    const result = checkObjects(inputs, { catalog: POD_RULES, level: 'restricted' });
    expect(problemsBesidesTypeErrors(inputs, result)).toEqual([]);
  });
});
