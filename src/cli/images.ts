/**
 * `cdk8s-hardened images`: the inventory of the images a set of manifests runs. It reads exactly what `check`
 * reads (the same loader and applied set), so the bill of materials and the verdict describe the same objects.
 */
import { imageInventory } from '../analysis/images/image-inventory';
import type { InputProblem } from '../core/types';
import { appliedSet } from '../engine/applied';
import { HardenedConfig, RunFlags } from '../engine/config';
import { loadPaths, LoadOptions } from '../engine/load';
import { EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, toolVersion } from '../engine/scan';
import { typeProblems } from '../engine/shape';
import { InventoryFormat, renderInventory } from '../report/inventory';

export interface ImagesRun {
  readonly text: string;
  readonly problems: InputProblem[];
  readonly notes: string[];
  /** 2 when input could not be read (the inventory may be incomplete), 1 when an image violates the policy, else 0. */
  readonly exitCode: number;
  readonly summary: string;
}

export async function inventoryOf(
  paths: readonly string[],
  format: InventoryFormat,
  options: LoadOptions & { readonly config?: HardenedConfig; readonly flags?: Pick<RunFlags, 'namespace'> } = {},
): Promise<ImagesRun> {
  const config = options.config ?? {};
  const loaded = await loadPaths(paths, options);
  const applied = appliedSet(loaded.inputs, { namespace: options.flags?.namespace ?? config.namespace });
  const inventory = imageInventory(applied.inputs, { imagePolicy: config.imagePolicy });
  // Wrong types in a pod spec (a container that is not a mapping) would drop images silently: input problems, as in check.
  const problems = [...loaded.problems, ...applied.problems, ...typeProblems(applied.inputs), ...inventory.problems];
  const refused = inventory.images.filter((i) => !i.allowed).length;
  return {
    text: renderInventory(format, inventory.images, toolVersion()),
    problems,
    notes: applied.notes,
    exitCode: problems.length > 0 ? EXIT_INPUT : refused > 0 ? EXIT_FINDINGS : EXIT_CLEAN,
    summary: `${inventory.images.length} images from ${inventory.objectCount} objects, ${refused} refused by the image policy`,
  };
}
