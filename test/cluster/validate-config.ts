import Ajv, { ValidateFunction } from 'ajv';
import { CONFIG_SCHEMAS } from './config-schemas';

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

/** Schema errors of a configuration file object (by kind); throws for a kind without a schema. */
export function configSchemaErrors(object: { kind?: unknown }): string[] {
  const kind = String(object.kind);
  const schema = CONFIG_SCHEMAS[kind];
  if (!schema) throw new Error(`no schema for kind ${kind}`);
  let validate = validators.get(kind);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(kind, validate);
  }
  return validate(object) ? [] : (validate.errors ?? []).map((e) => `${kind}${e.instancePath} ${e.message}`);
}
