import { ApiObject, App, Chart, Testing } from 'cdk8s';

// The hardened workloads wrap `ApiObject.toJson` (cdk8s offers no hook on an object's final JSON). This pins the
// cdk8s behaviour that relies on: every way of synthesizing goes through the instance's toJson.
describe('cdk8s serializes every ApiObject through its toJson', () => {
  function wrapped(): { app: App; chart: Chart; calls: () => number } {
    const app = Testing.app();
    const chart = new Chart(app, 'pin');
    const object = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    let calls = 0;
    const serialize = object.toJson.bind(object);
    object.toJson = () => {
      calls++;
      return { ...serialize(), data: { wrapped: 'yes' } };
    };
    return { app, chart, calls: () => calls };
  }

  test('Testing.synth', () => {
    const { chart, calls } = wrapped();
    expect(Testing.synth(chart)[0].data).toEqual({ wrapped: 'yes' });
    expect(calls()).toBe(1);
  });

  test('chart.toJson', () => {
    const { chart, calls } = wrapped();
    expect(chart.toJson()[0].data).toEqual({ wrapped: 'yes' });
    expect(calls()).toBe(1);
  });

  test('app.synthYaml, once per synth', () => {
    const { app, calls } = wrapped();
    expect(app.synthYaml()).toContain('wrapped: "yes"');
    expect(calls()).toBe(1);
  });
});
