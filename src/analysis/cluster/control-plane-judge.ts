/**
 * Judges the control-plane flags of a kubeadm ClusterConfiguration or a static pod manifest against the rows
 * of the settings table that one catalog rule owns: one violation per insecure row and component.
 */
import { componentFlagsOf, ComponentFlags, FlagValue } from './component-flags';
import { booleanFlagsOf, ControlPlaneSetting, CONTROL_PLANE_SETTINGS, settingsOf } from './control-plane-settings';
import { KUBELET_SETTINGS } from './kubelet-settings';
import { compareCisIds } from '../../core/cis';
import type { Violation } from '../../core/types';
import type { ObjectView } from '../../core/views';

/**
 * The flags the component actually runs with: for a kubeadm file, what kubeadm adds for flags the file leaves out
 * (its generated static pod), then the file's own extraArgs, which override them.
 */
export function effectiveFlags(cf: ComponentFlags): Map<string, FlagValue> {
  const flags = new Map<string, FlagValue>();
  if (cf.source === 'kubeadm') {
    for (const row of settingsOf(cf.component)) {
      if (row.kubeadmDefault !== undefined) flags.set(row.flag, { value: row.kubeadmDefault, path: cf.path });
    }
  }
  for (const [name, value] of cf.flags) flags.set(name, value);
  return flags;
}

/** The problem of one row on one component's flags, or undefined. */
export function judgeRow(row: ControlPlaneSetting, flags: ReadonlyMap<string, FlagValue>): string | undefined {
  return row.judge(flags.get(row.flag)?.value, flags);
}

/** Violations of the rows owned by `ruleId` in the object (kubeadm ClusterConfiguration or static pod). */
export function judgeControlPlane(view: ObjectView, ruleId: string): Violation[] {
  const violations: Violation[] = [];
  for (const cf of componentFlagsOf(view, booleanFlagsOf)) {
    const flags = effectiveFlags(cf);
    for (const row of CONTROL_PLANE_SETTINGS) {
      if (row.ruleId !== ruleId || row.component !== cf.component) continue;
      const problem = judgeRow(row, flags);
      if (problem !== undefined) violations.push({ path: cf.flags.get(row.flag)?.path ?? cf.path, message: `${cf.component} ${problem}` });
    }
  }
  return violations;
}

/** Kinds the control-plane flag rules judge. */
export const CONTROL_PLANE_KINDS: readonly string[] = ['ClusterConfiguration', 'Pod'];

/**
 * The CIS references of a rule that owns rows of the settings tables: the v1.10 items of its rows (`cis`) and the
 * items only later versions number (`cisLater`, such as 1.2.30), in benchmark order, so the rule and the tables cannot drift.
 */
export function cisOfRule(ruleId: string): { cis?: string; cisLater?: string } {
  const rows = [...CONTROL_PLANE_SETTINGS, ...KUBELET_SETTINGS].filter((r) => r.ruleId === ruleId);
  const join = (ids: readonly string[]) => [...new Set(ids)].sort(compareCisIds).join(', ');
  const cis = join(rows.flatMap((r) => r.cis));
  const cisLater = join(rows.flatMap((r) => r.cis112Only ?? []));
  return { ...(cis ? { cis } : {}), ...(cisLater ? { cisLater } : {}) };
}
