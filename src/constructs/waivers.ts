/**
 * Waivers on the construct side: one validation and one way of recording them, shared by every construct.
 * A recorded waiver is the annotation `hardened.cdk8s.io/waivers` (canonical JSON with the reasons: what every
 * judge honours) plus a label `waive.hardened.cdk8s.io/<rule-id>: "true"` per rule (for selecting waived objects).
 */
import type { IConstruct } from 'constructs';
import type { Waiver } from '../core/types';
import { canonicalWaiver, formatWaivers, WAIVER_LABEL_PREFIX, WAIVERS_ANNOTATION, waiverError, waiverLabels } from '../core/waivers';
import { findRule } from '../rules';

/** Metadata that can take annotations and labels (cdk8s ApiObjectMetadataDefinition). */
interface WaiverMetadataTarget {
  addAnnotation(key: string, value: string): void;
  addLabel(key: string, value: string): void;
}

/** Checks each waiver against the catalog; throws naming the construct path and the fix. Returns trimmed copies. */
export function validateWaivers(path: string, waivers: readonly Waiver[] | undefined): Waiver[] {
  for (const waiver of waivers ?? []) {
    const error = waiverError(waiver, (id) => findRule(id) !== undefined);
    if (error) {
      throw new Error(`${path}: ${error}. Fix: name a rule of the catalog (\`cdk8s-hardened rules\`) and say why the control is weakened, `
        + "e.g. waivers: [{ ruleId: 'pod-read-only-root-filesystem', reason: 'legacy app writes its pid file to /var/run' }].");
    }
  }
  return (waivers ?? []).map(canonicalWaiver);
}

/** Annotation and exemption labels for a set of waivers (both empty when there are none). */
export function waiverMetadata(waivers: readonly Waiver[]): { annotations: Record<string, string>; labels: Record<string, string> } {
  if (waivers.length === 0) return { annotations: {}, labels: {} };
  return { annotations: { [WAIVERS_ANNOTATION]: formatWaivers(waivers) }, labels: waiverLabels(waivers) };
}

/** Writes the waivers annotation and exemption labels onto metadata (nothing when there are no waivers). */
export function recordWaivers(metadata: WaiverMetadataTarget, waivers: readonly Waiver[]): void {
  const { annotations, labels } = waiverMetadata(waivers);
  for (const [key, value] of Object.entries(annotations)) metadata.addAnnotation(key, value);
  for (const [key, value] of Object.entries(labels)) metadata.addLabel(key, value);
}

/** Throws unless a waiver covers `ruleId`: the error names the path, the rule and both ways to fix it. */
export function requireWaiver(scope: IConstruct, waivers: readonly Waiver[], ruleId: string, what: string, fix: string): void {
  if (waivers.some((w) => w.ruleId === ruleId)) return;
  throw new Error(`${scope.node.path}: ${what} violates ${ruleId}. ${fix}, or add waivers: [{ ruleId: '${ruleId}', reason: '<why>' }]`);
}

/**
 * What on serialized metadata the construct did not write itself: a waivers annotation other than the one its
 * `waivers` produce, or an exemption label it did not set. A construct honours only its own waivers (with their
 * checks, such as host access only on DaemonSets), so anything else is refused rather than silently honoured.
 */
export function foreignWaiverMetadata(where: string, metadata: unknown, waivers: readonly Waiver[]): string[] {
  const meta = (typeof metadata === 'object' && metadata !== null ? metadata : {}) as { annotations?: Record<string, unknown>; labels?: Record<string, unknown> };
  const expected = waiverMetadata(waivers);
  const problems: string[] = [];
  const annotation = meta.annotations?.[WAIVERS_ANNOTATION];
  if (annotation !== expected.annotations[WAIVERS_ANNOTATION]) {
    problems.push(`${where} carries annotation ${WAIVERS_ANNOTATION} ${JSON.stringify(annotation ?? null)}, which is not the one its waivers write (${JSON.stringify(expected.annotations[WAIVERS_ANNOTATION] ?? null)})`);
  }
  for (const key of Object.keys(meta.labels ?? {}).filter((k) => k.startsWith(WAIVER_LABEL_PREFIX)).sort()) {
    if (!(key in expected.labels)) problems.push(`${where} carries label ${key}, which none of its waivers writes`);
  }
  return problems;
}
