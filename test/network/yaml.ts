import * as yaml from 'js-yaml';
import type { CheckInput, K8sObject } from '../../src/core/types';

/** Parses a multi-document YAML string into engine inputs (as the CLI would, with file and document index). */
export function fromYaml(text: string): CheckInput[] {
  return yaml.loadAll(text).filter((d) => d !== null && d !== undefined).map((object, documentIndex) => ({
    object: object as K8sObject,
    source: { file: 'test.yaml', documentIndex },
  }));
}
