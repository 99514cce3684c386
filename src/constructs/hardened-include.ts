import * as fs from 'fs';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { isObject } from '../core/json';
import { parseManifests } from '../engine/load';

/** Properties of a HardenedInclude. */
export interface HardenedIncludeProps {
  /**
   * Path of a local YAML or JSON manifest file (download a remote manifest first, and pin what you download).
   */
  readonly url: string;
}

/**
 * Includes a manifest file read the way `kubectl apply` reads it. cdk8s' `Include` reads YAML 1.2, so where
 * kubectl reads the file differently (a merge key after an explicit key, `yes`/`on`, octal `010000`, a U+2028
 * line break), `Include` would judge and write something else than `kubectl apply -f FILE` applies.
 * HardenedInclude reads the file with the checker's kubectl-parity reader (the one the CLI uses): its
 * ApiObjects hold exactly the JSON kubectl would send, Lists are expanded into their items, and anything that
 * cannot be read the same way fails here, naming the file, line and reason.
 *
 * Object ids follow `Include`: `name[-kind][-namespace]`.
 */
export class HardenedInclude extends Construct {
  constructor(scope: Construct, id: string, props: HardenedIncludeProps) {
    super(scope, id);
    const file = props.url;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) {
      throw new Error(`${this.node.path}: HardenedInclude reads local files only, not ${file}. Fix: download the manifest, review and pin it, and include the file.`);
    }
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`${this.node.path}: cannot read ${file}: ${(e as Error).message}`);
    }
    const parsed = parseManifests(text, file);
    const problems = parsed.problems.map((p) => p.message);
    for (const input of parsed.inputs) {
      const object = input.object as unknown;
      const at = `${file}:${input.source?.line ?? 1}`;
      if (!isObject(object)) problems.push(`${at}: expected a Kubernetes object, got ${Array.isArray(object) ? 'a list' : object === null ? 'null' : typeof object}`);
      else if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') problems.push(`${at}: the object has no apiVersion or kind`);
    }
    if (problems.length > 0) {
      throw new Error(`${this.node.path}: HardenedInclude cannot read ${file} the way kubectl reads it:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    }
    let order = 0;
    for (const input of parsed.inputs) {
      const object = input.object as Record<string, any>;
      const name = object.metadata?.name ?? `object${order++}`;
      const objectId = [name, String(object.kind).toLowerCase(), object.metadata?.namespace].filter((x) => x).join('-');
      new ApiObject(this, objectId, object as any);
    }
  }

  /** The included API objects. */
  public get apiObjects(): ApiObject[] {
    return this.node.children.filter((o): o is ApiObject => ApiObject.isApiObject(o));
  }
}
