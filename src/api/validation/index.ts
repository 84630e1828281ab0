/**
 * Input validation for Kinesis and Firehose, driven by the AWS models (models/*.json, generated
 * into *.generated.ts by scripts/gen-shapes.mjs).
 *
 * `parseInput` runs AWS's two stages in order: the type pass (coerce.ts → SerializationException)
 * and the constraint pass (constraints.ts → ValidationException). Its result is what handlers
 * get: only modelled members, blobs as Buffer, timestamps as Date, numbers as numbers, and every
 * model constraint satisfied. Rules that depend on state (a stream's MaxRecordSizeInKiB, "StreamName
 * or StreamARN") are the handlers' job.
 */
import { SerializationException } from '../../errors/common.js';
import type { WireProtocol } from '../operation.js';
import { coerceInput } from './coerce.js';
import { compileModel, type CompiledModel } from './compile.js';
import { checkConstraints } from './constraints.js';
import { fastCoerceJson } from './fast-json.js';
import { firehoseShapes } from './firehose.generated.js';
import { kinesisShapes } from './kinesis.generated.js';
import type { ModelShapes } from './shape-data.js';

export type ModelName = 'kinesis' | 'firehose';

const MODELS: Record<ModelName, ModelShapes> = { kinesis: kinesisShapes, firehose: firehoseShapes };
const compiled = new Map<ModelName, CompiledModel>();

function compiledModel(model: ModelName): CompiledModel {
  let result = compiled.get(model);
  if (result === undefined) {
    result = compileModel(MODELS[model]);
    compiled.set(model, result);
  }
  return result;
}

export function operationExists(model: ModelName, operation: string): boolean {
  return compiledModel(model).operations.has(operation);
}

/**
 * Coerces and validates a decoded request body for `operation`.
 *
 * `body` is what the codec produced: for JSON the parsed value, for CBOR the decoded value (byte
 * strings as Buffer/Uint8Array, tag-1 timestamps as Date). A body that is not an object (JSON
 * `null`, a number, a string) is a SerializationException without message, as AWS answers.
 * Both protocols share every check: the codecs already turned CBOR byte strings and tag-1 dates
 * into Buffer and Date, which the type pass accepts alongside JSON's base64 and epoch seconds.
 */
export function parseInput(model: ModelName, operation: string, body: unknown, _protocol: WireProtocol): Record<string, any> {
  const operations = compiledModel(model).operations;
  if (!operations.has(operation)) throw new Error(`unknown ${model} operation ${operation}`);
  if (typeof body !== 'object' || body === null) throw new SerializationException();
  const input = operations.get(operation);
  if (input === undefined) return {};
  const coerced = coerceInput(input, body);
  checkConstraints(input, coerced);
  return coerced;
}

/**
 * The type pass of `parseInput` for a JSON body read straight from its bytes (fast-json.ts), or
 * undefined when the body needs the general path (JSON.parse, then `parseInput`). Never throws for
 * bad input: the general path owns every error.
 */
export function fastCoerceJsonInput(model: ModelName, operation: string, body: Buffer): Record<string, unknown> | undefined {
  const input = compiledModel(model).operations.get(operation);
  return input === undefined ? undefined : fastCoerceJson(input, body);
}

/** The constraint pass of `parseInput` for input `fastCoerceJsonInput` produced. */
export function checkCoercedInput(model: ModelName, operation: string, coerced: Record<string, unknown>): Record<string, any> {
  checkConstraints(compiledModel(model).operations.get(operation)!, coerced);
  return coerced;
}
