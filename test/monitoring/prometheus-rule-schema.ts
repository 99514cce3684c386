import { crdValidator } from '../util/crd-schema';

export { fixture } from '../util/crd-schema';

/** Validator for PrometheusRule built from the real prometheus-operator CRD. */
export function prometheusRuleValidator() {
  return crdValidator('crds/prometheus-operator-prometheusrules.crd.yaml', 'v1');
}
