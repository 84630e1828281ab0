/**
 * The data format of the generated `*.generated.ts` files (see scripts/gen-shapes.mjs).
 *
 * One entry per shape reachable from an operation's input, referenced by index. Constraints keep
 * the model's meaning: `min`/`max` are lengths for strings, blobs, lists and maps and values for
 * numbers; `pattern` is a Java regular expression that must match the whole value.
 */
export type ShapeType =
  | 'structure' | 'list' | 'map'
  | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'blob' | 'timestamp';

export interface ShapeData {
  readonly name: string;
  readonly type: ShapeType;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly streaming?: boolean;
  readonly eventstream?: boolean;
  /** Structure members in model order: [wire name, shape index]. */
  readonly members?: readonly (readonly [string, number])[];
  readonly required?: readonly string[];
  /** List element shape index. */
  readonly member?: number;
  /** Map key and value shape indexes. */
  readonly key?: number;
  readonly value?: number;
}

export interface ModelShapes {
  readonly apiVersion: string;
  readonly endpointPrefix: string;
  readonly targetPrefix: string;
  /** Operation name → index of its input shape, or -1 when it takes no input. */
  readonly operations: Readonly<Record<string, number>>;
  readonly shapes: readonly ShapeData[];
}
