/**
 * Cross-object lookups for the availability rules, indexed once per run so that 10,000 objects stay linear:
 * which PodDisruptionBudgets select a workload's pods, which workloads a budget selects, which
 * HorizontalPodAutoscaler scales a workload. A selector with a `matchLabels` pair can only select pods that
 * carry that pair, so selectors and pods are bucketed by label pair before the full selector is evaluated.
 */
import { addToGroup } from '../../core/group-by';
import { asObject, asString, isObject } from '../../core/json';
import { mayShareNamespace, selectorMatches } from '../../core/label-selector';
import type { ObjectIndex } from '../../core/object-index';
import type { ObjectView } from '../../core/views';
import { workloadKinds } from '../../core/workload-kinds';

/** Workload kinds a budget's minAvailable is compared with. */
export const SCALABLE_KINDS: readonly string[] = workloadKinds((w) => w.scalable);

interface Lookups {
  /** Budgets by one `matchLabels` pair of their selector; budgets without such a pair under ''. */
  readonly budgetsByPair: Map<string, ObjectView[]>;
  /** Scalable workloads by each label pair of their pod template (built when a budget asks). */
  readonly workloadsByPair: () => Map<string, ObjectView[]>;
  readonly workloads: readonly ObjectView[];
  /** Autoscalers by target `kind/name`. */
  readonly autoscalers: Map<string, ObjectView[]>;
}

const cache = new WeakMap<ObjectIndex, Lookups>();
const UNBUCKETED = '';

function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

/** The first (by key) `matchLabels` pair a selector requires, or undefined when it requires none. */
function requiredPair(selector: unknown): string | undefined {
  const matchLabels = isObject(selector) ? selector.matchLabels : undefined;
  if (!isObject(matchLabels)) return undefined;
  const key = Object.keys(matchLabels).sort()[0];
  const value = key === undefined ? undefined : matchLabels[key];
  return typeof value === 'string' ? pairKey(key, value) : undefined;
}

function lookups(index: ObjectIndex): Lookups {
  let found = cache.get(index);
  if (found) return found;
  const budgetsByPair = new Map<string, ObjectView[]>();
  const budgets = index.ofKind('PodDisruptionBudget');
  for (let i = 0; i < budgets.length; i++) {
    const budget = budgets[i];
    addToGroup(budgetsByPair, requiredPair(asObject(budget.object.spec).selector) ?? UNBUCKETED, budget);
  }
  const workloads = SCALABLE_KINDS.flatMap((kind) => index.ofKind(kind));
  let byPair: Map<string, ObjectView[]> | undefined;
  const workloadsByPair = () => {
    if (byPair) return byPair;
    byPair = new Map<string, ObjectView[]>();
    for (let i = 0; i < workloads.length; i++) {
      const workload = workloads[i];
      const entries = Object.entries(index.podOf(workload)?.labels ?? {});
      for (let j = 0; j < entries.length; j++) {
        const key = entries[j][0];
        const value = entries[j][1];
        addToGroup(byPair, pairKey(key, value), workload);
      }
    }
    return byPair;
  };
  const autoscalers = new Map<string, ObjectView[]>();
  const hpas = index.ofKind('HorizontalPodAutoscaler');
  for (let i = 0; i < hpas.length; i++) {
    const hpa = hpas[i];
    const target = asObject(asObject(hpa.object.spec).scaleTargetRef);
    addToGroup(autoscalers, `${asString(target.kind) ?? ''}/${asString(target.name) ?? ''}`, hpa);
  }
  found = { budgetsByPair, workloadsByPair, workloads, autoscalers };
  cache.set(index, found);
  return found;
}

/** The PodDisruptionBudgets that may share the workload's namespace and select its pod labels. */
export function budgetsSelecting(index: ObjectIndex, workload: ObjectView): ObjectView[] {
  const { budgetsByPair } = lookups(index);
  if (budgetsByPair.size === 0) return [];
  const labels = index.podOf(workload)?.labels ?? {};
  const candidates = [...(budgetsByPair.get(UNBUCKETED) ?? [])];
  const entries = Object.entries(labels);
  for (let i = 0; i < entries.length; i++) {
    const key = entries[i][0];
    const value = entries[i][1];
    candidates.push(...(budgetsByPair.get(pairKey(key, value)) ?? []));
  }
  return candidates.filter(
    (budget) => mayShareNamespace(budget.namespace, workload.namespace) && selectorMatches('podDisruptionBudget', asObject(budget.object.spec).selector, labels),
  );
}

/** The scalable workloads in the namespace whose pod labels the selector selects. */
export function workloadsSelectedBy(index: ObjectIndex, selector: unknown, namespace: string | undefined): ObjectView[] {
  const { workloadsByPair, workloads } = lookups(index);
  const pair = requiredPair(selector);
  const candidates = pair === undefined ? workloads : workloadsByPair().get(pair) ?? [];
  return candidates.filter(
    (workload) => mayShareNamespace(namespace, workload.namespace) && selectorMatches('podDisruptionBudget', selector, index.podOf(workload)?.labels ?? {}),
  );
}

/** The HorizontalPodAutoscaler that scales the workload, when one is in the set. */
export function autoscalerOf(index: ObjectIndex, workload: ObjectView): ObjectView | undefined {
  const { autoscalers } = lookups(index);
  if (autoscalers.size === 0) return undefined;
  const candidates = autoscalers.get(`${workload.kind}/${workload.name}`) ?? [];
  return candidates.find((hpa) => mayShareNamespace(hpa.namespace, workload.namespace));
}
