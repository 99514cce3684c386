/**
 * Lookups over the whole set of objects in a run, built once, for cross-object rules
 * (a namespace's NetworkPolicies, the ServiceAccount a binding names, ...).
 */
import { ObjectView, PodView, viewPod } from './views';

export class ObjectIndex {
  private static key(kind: string, namespace: string | undefined, name: string): string {
    return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
  }

  private readonly byKind = new Map<string, ObjectView[]>();
  /** Built on the first `find`: many runs never look an object up by name. */
  private byKey?: Map<string, ObjectView>;
  private podCache?: PodView[];
  private podByOwner?: Map<ObjectView, PodView>;

  constructor(public readonly objects: readonly ObjectView[]) {
    for (let i = 0; i < objects.length; i++) {
      const view = objects[i];
      const list = this.byKind.get(view.kind);
      if (list) list.push(view);
      else this.byKind.set(view.kind, [view]);
    }
  }

  /** Every object of a kind, in input order. */
  public ofKind(kind: string): readonly ObjectView[] {
    return this.byKind.get(kind) ?? [];
  }

  /** The object of a kind with that namespace and name (namespace undefined for cluster-scoped kinds). */
  public find(kind: string, namespace: string | undefined, name: string): ObjectView | undefined {
    if (!this.byKey) {
      // The last object with a key wins, as when every object was indexed at construction.
      this.byKey = new Map();
      for (const view of this.objects) this.byKey.set(ObjectIndex.key(view.kind, view.namespace, view.name), view);
    }
    return this.byKey.get(ObjectIndex.key(kind, namespace, name));
  }

  /** Every pod spec in the set (Pods and workload templates), computed on first use. */
  public pods(): readonly PodView[] {
    if (!this.podCache) {
      this.podCache = [];
      this.podByOwner = new Map();
      for (let i = 0; i < this.objects.length; i++) {
        const view = this.objects[i];
        const pod = viewPod(view);
        if (pod) {
          this.podCache.push(pod);
          this.podByOwner.set(view, pod);
        }
      }
    }
    return this.podCache;
  }

  /** The pod spec an object holds, if it is a Pod or a workload. */
  public podOf(view: ObjectView): PodView | undefined {
    this.pods();
    return this.podByOwner!.get(view);
  }

  /** Namespaces referenced by any namespaced object or declared as a Namespace object, sorted. */
  public namespaces(): string[] {
    const names = new Set<string>();
    for (const view of this.objects) {
      if (view.kind === 'Namespace') names.add(view.name);
      else if (view.namespace) names.add(view.namespace);
    }
    return [...names].sort();
  }
}
