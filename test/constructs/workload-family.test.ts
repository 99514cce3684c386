import { Cron, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { batchContainer, engineFindings, hardeningGaps, newChart, ofKind, podSpec, podTemplate, probeGaps, synth, validateSchemas, webContainer } from './helpers';
import { Hardening, HardenedCronJob, HardenedDaemonSet, HardenedJob, HardenedStatefulSet } from '../../src';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { findRule } from '../../src/rules';

describe('HardenedStatefulSet', () => {
  test('snapshot; hardened pods, volume claim templates mounted in every container, PDB and spread when replicated', () => {
    const { app, chart } = newChart();
    const db = new HardenedStatefulSet(chart, 'db', {
      containers: [webContainer('db', 5432)],
      replicas: 3,
      volumeClaimTemplates: [{ name: 'data', storage: Size.gibibytes(10), mountPath: '/var/lib/data', storageClassName: 'fast' }],
    });
    db.addContainer(webContainer('exporter', 9187));
    const objects = synth(app);
    expect(objects).toMatchSnapshot();

    expect(objects.map((o) => o.kind).sort()).toEqual(['PodDisruptionBudget', 'Service', 'ServiceAccount', 'StatefulSet']);
    const [set] = ofKind(objects, 'StatefulSet');
    expect(hardeningGaps(set)).toEqual([]);
    expect(probeGaps(set)).toEqual([]);
    expect(set.spec.volumeClaimTemplates).toEqual([
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: 'fast' } },
    ]);
    for (const container of podSpec(set).containers) {
      expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/data' });
    }
    // Claim templates are not pod volumes.
    expect(podSpec(set).volumes.map((v: any) => v.name)).toEqual(['tmp']);
    expect(podSpec(set).topologySpreadConstraints).toHaveLength(2);
    expect(ofKind(objects, 'PodDisruptionBudget')[0].spec.maxUnavailable).toBe(1);
    validateSchemas(objects);
    expect(engineFindings(objects)).toEqual([]);
  });

  test('one replica (the default) gets no PodDisruptionBudget', () => {
    const { chart } = newChart();
    new HardenedStatefulSet(chart, 'db', { containers: [webContainer('db', 5432)] });
    expect(ofKind(Testing.synth(chart), 'PodDisruptionBudget')).toEqual([]);
  });
});

describe('HardenedDaemonSet', () => {
  test('snapshot; hardened pods by default', () => {
    const { app, chart } = newChart();
    new HardenedDaemonSet(chart, 'agent', { containers: [webContainer('agent', 9100)] });
    const objects = synth(app);
    expect(objects).toMatchSnapshot();
    const [daemonSet] = ofKind(objects, 'DaemonSet');
    expect(hardeningGaps(daemonSet)).toEqual([]);
    expect(ofKind(objects, 'PodDisruptionBudget')).toEqual([]);
    validateSchemas(objects);
    expect(engineFindings(objects)).toEqual([]);
  });

  test('a privileged container that leaves allowPrivilegeEscalation to cdk8s-plus (false) fails synth: the API server would refuse it', () => {
    const { app, chart } = newChart();
    new HardenedDaemonSet(chart, 'agent', {
      containers: [{ ...webContainer('agent', 9100), securityContext: { privileged: true } }],
      waivers: [{ ruleId: 'pod-privileged', reason: 'node agent reads raw block devices' }],
    });
    expect(() => app.synthYaml()).toThrow(/containers\[0\]\.securityContext: the API server refuses allowPrivilegeEscalation: false beside privileged: true .*set allowPrivilegeEscalation: true there/);
  });

  test('host access may be waived for a node agent; the waiver is written on the DaemonSet and its pod template', () => {
    const { app, chart } = newChart();
    const reason = 'node agent reads raw block devices';
    const agent = new HardenedDaemonSet(chart, 'agent', {
      // A privileged container always may escalate (the API server refuses allowPrivilegeEscalation: false beside it).
      containers: [{ ...webContainer('agent', 9100), securityContext: { privileged: true, allowPrivilegeEscalation: true } }],
      waivers: [{ ruleId: 'pod-allow-privilege-escalation', reason }, { ruleId: 'pod-privileged', reason }],
    });
    expect(Hardening.waiversOf(agent)).toEqual([{ ruleId: 'pod-allow-privilege-escalation', reason }, { ruleId: 'pod-privileged', reason }]);
    const [daemonSet] = ofKind(synth(app), 'DaemonSet');
    const expected = JSON.stringify([{ ruleId: 'pod-allow-privilege-escalation', reason }, { ruleId: 'pod-privileged', reason }]);
    expect(daemonSet.metadata.annotations[WAIVERS_ANNOTATION]).toBe(expected);
    expect(podTemplate(daemonSet).metadata.annotations[WAIVERS_ANNOTATION]).toBe(expected);
    // Each waived rule is also an exemption label on the pod template, which admission policies match on.
    for (const { ruleId } of JSON.parse(expected)) expect(podTemplate(daemonSet).metadata.labels[`waive.hardened.cdk8s.io/${ruleId}`]).toBe('true');
    // The waived control is relaxed only where the user asked.
    expect(podSpec(daemonSet).containers[0].securityContext.privileged).toBe(true);
    expect(podSpec(daemonSet).containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('without the waiver the same DaemonSet fails synth', () => {
    const { app, chart } = newChart();
    new HardenedDaemonSet(chart, 'agent', { containers: [{ ...webContainer('agent', 9100), securityContext: { privileged: true, allowPrivilegeEscalation: true } }] });
    expect(() => app.synthYaml()).toThrow(/\[test\/agent\] HardenedDaemonSet violates pod-privileged/);
  });

  test('a waiver added after construction is recorded too', () => {
    const { chart } = newChart();
    const agent = new HardenedDaemonSet(chart, 'agent', { containers: [webContainer('agent', 9100)] });
    Hardening.addWaiver(agent, 'pod-privileged', 'eBPF agent loads programs');
    const [daemonSet] = ofKind(Testing.synth(chart), 'DaemonSet');
    expect(JSON.parse(podTemplate(daemonSet).metadata.annotations[WAIVERS_ANNOTATION])).toEqual([{ ruleId: 'pod-privileged', reason: 'eBPF agent loads programs' }]);
  });
});

describe('HardenedJob', () => {
  test('snapshot; hardened pods with deadline, backoff and TTL defaults', () => {
    const { app, chart } = newChart();
    new HardenedJob(chart, 'migrate', { containers: [batchContainer('migrate')] });
    const objects = synth(app);
    expect(objects).toMatchSnapshot();
    const [job] = ofKind(objects, 'Job');
    expect(hardeningGaps(job)).toEqual([]);
    expect(job.spec).toMatchObject({ activeDeadlineSeconds: 3600, backoffLimit: 3, ttlSecondsAfterFinished: 86400 });
    expect(podSpec(job).restartPolicy).toBe('Never');
    validateSchemas(objects);
    expect(engineFindings(objects)).toEqual([]);
  });

  test('explicit job settings win over the defaults', () => {
    const { chart } = newChart();
    new HardenedJob(chart, 'migrate', { containers: [batchContainer()], backoffLimit: 0, activeDeadline: Duration.minutes(5), ttlAfterFinished: Duration.minutes(10) });
    const [job] = ofKind(Testing.synth(chart), 'Job');
    expect(job.spec).toMatchObject({ activeDeadlineSeconds: 300, backoffLimit: 0, ttlSecondsAfterFinished: 600 });
  });

  test('probe rules, when the catalog has them, are waived for batch pods and the waiver is shown', () => {
    const { chart } = newChart();
    const job = new HardenedJob(chart, 'migrate', { containers: [batchContainer()] });
    const probeRules = ['pod-liveness-probe', 'pod-readiness-probe'].filter((id) => findRule(id)?.kinds.includes('Job'));
    expect(Hardening.waiversOf(job).map((w) => w.ruleId)).toEqual(probeRules);
  });
});

describe('HardenedCronJob', () => {
  test('snapshot; Forbid concurrency, job defaults, hardened pods', () => {
    const { app, chart } = newChart();
    new HardenedCronJob(chart, 'report', { schedule: Cron.daily(), containers: [batchContainer('report')] });
    const objects = synth(app);
    expect(objects).toMatchSnapshot();
    const [cron] = ofKind(objects, 'CronJob');
    expect(hardeningGaps(cron)).toEqual([]);
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    expect(cron.spec.jobTemplate.spec).toMatchObject({ activeDeadlineSeconds: 3600, backoffLimit: 3, ttlSecondsAfterFinished: 86400 });
    expect(podSpec(cron).securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    validateSchemas(objects);
    expect(engineFindings(objects)).toEqual([]);
  });

  test('history limits leave the TTL unset (cdk8s-plus rejects both); explicit concurrency policy wins', () => {
    const { chart } = newChart();
    new HardenedCronJob(chart, 'report', {
      schedule: Cron.daily(),
      containers: [batchContainer()],
      successfulJobsRetained: 5,
      concurrencyPolicy: kplus.ConcurrencyPolicy.REPLACE,
    });
    const [cron] = ofKind(Testing.synth(chart), 'CronJob');
    expect(cron.spec.concurrencyPolicy).toBe('Replace');
    expect(cron.spec.successfulJobsHistoryLimit).toBe(5);
    expect(cron.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBeUndefined();
  });
});
