/**
 * Turns a generated model (shape-data.ts) into validator nodes, once per model.
 *
 * Every shape becomes one ShapeNode holding what the per-request passes need, ready to use:
 * compiled regular expressions, enum sets, rule texts, member lookup tables and the order in
 * which AWS reports members. The passes (coerce.ts, constraints.ts) only walk these nodes.
 */
import { coralEnumOrder, coralMemberOrder } from './java-order.js';
import {
  elementRules, inEnum, lengthAtLeast, lengthAtMost, matchesPattern, valueAtLeast, valueAtMost,
  type TargetType,
} from './messages.js';
import type { ModelShapes, ShapeData } from './shape-data.js';

export const Kind = {
  Structure: 0, List: 1, Map: 2, String: 3, Integer: 4, Long: 5, Float: 6, Double: 7, Boolean: 8, Blob: 9, Timestamp: 10,
} as const;
export type KindCode = (typeof Kind)[keyof typeof Kind];

const KIND_OF_TYPE: Record<ShapeData['type'], KindCode> = {
  structure: Kind.Structure, list: Kind.List, map: Kind.Map, string: Kind.String, integer: Kind.Integer,
  long: Kind.Long, float: Kind.Float, double: Kind.Double, boolean: Kind.Boolean, blob: Kind.Blob, timestamp: Kind.Timestamp,
};

const TARGET_OF_KIND: Partial<Record<KindCode, TargetType>> = {
  [Kind.String]: 'String', [Kind.Integer]: 'Integer', [Kind.Long]: 'Long', [Kind.Float]: 'Float',
  [Kind.Double]: 'Double', [Kind.Boolean]: 'Boolean', [Kind.Blob]: 'Blob', [Kind.Timestamp]: 'Timestamp',
};

export interface MemberNode {
  readonly wireName: string;
  /** lowerCamel name used in ValidationException paths. */
  readonly pathName: string;
  readonly shape: ShapeNode;
  readonly required: boolean;
}

export interface ShapeNode {
  readonly name: string;
  readonly kind: KindCode;
  /** Type name in SerializationException texts (scalars only). */
  readonly target: TargetType | undefined;
  /** Java class AWS prints for a structure value, e.g. `com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry`. */
  readonly javaClass: string;
  /** Length bounds (strings, blobs, lists, maps) or value bounds (numbers), with their rule texts. */
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly minRule: string | undefined;
  readonly maxRule: string | undefined;
  readonly pattern: RegExp | undefined;
  readonly patternRule: string | undefined;
  readonly enumValues: ReadonlySet<string> | undefined;
  readonly enumRule: string | undefined;
  /** Structure members in model order, the wire-name lookup, and AWS's reporting order. */
  members: readonly MemberNode[];
  byWireName: ReadonlyMap<string, MemberNode>;
  validationOrder: readonly MemberNode[];
  /** List element, map key and map value shapes. */
  element: ShapeNode | undefined;
  key: ShapeNode | undefined;
  value: ShapeNode | undefined;
  /** For lists and maps of scalars with rules: the combined rule AWS reports once for the whole collection. */
  elementRule: string | undefined;
  keyRule: string | undefined;
  valueRule: string | undefined;
  /** False when neither this shape nor anything below it has a rule: the constraint pass skips it. */
  hasRules: boolean;
}

export interface CompiledModel {
  readonly operations: ReadonlyMap<string, ShapeNode | undefined>;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A Java pattern as a JavaScript RegExp matching the whole value (Java's `matches()`). */
export function javaPattern(pattern: string): RegExp {
  // \p{…} classes need the 'u' flag; without \p the patterns use escapes ('\_') that 'u' rejects.
  return new RegExp(`^(?:${pattern})$`, pattern.includes('\\p{') ? 'u' : '');
}

function isScalar(kind: KindCode): boolean {
  return kind !== Kind.Structure && kind !== Kind.List && kind !== Kind.Map;
}

/** Every rule of a scalar shape, in the order AWS lists them inside `must satisfy constraint: [...]`. */
function scalarRules(node: ShapeNode): string[] {
  const rules: string[] = [];
  if (node.maxRule) rules.push(node.maxRule);
  if (node.minRule) rules.push(node.minRule);
  if (node.patternRule) rules.push(node.patternRule);
  if (node.enumRule) rules.push(node.enumRule);
  return rules;
}

/**
 * Where Runnel deliberately accepts more than AWS: HTTP endpoint destinations may use http:// so
 * local receivers work (AWS allows only https). A value that fails still gets AWS's message.
 */
const PATTERN_RELAXATIONS: Readonly<Record<string, string>> = { HttpEndpointUrl: 'https?://.*' };

export function compileModel(model: ModelShapes): CompiledModel {
  const namespace = `com.amazonaws.${model.endpointPrefix}.v${model.apiVersion.replaceAll('-', '')}`;
  const nodes: ShapeNode[] = model.shapes.map((shape) => {
    const kind = KIND_OF_TYPE[shape.type];
    const isLength = kind === Kind.String || kind === Kind.Blob || kind === Kind.List || kind === Kind.Map;
    const min = shape.min;
    const acceptedPattern = PATTERN_RELAXATIONS[shape.name] ?? shape.pattern;
    return {
      name: shape.name,
      kind,
      target: TARGET_OF_KIND[kind],
      javaClass: `${namespace}.${shape.name}`,
      min,
      max: shape.max,
      minRule: min === undefined ? undefined : isLength ? lengthAtLeast(min) : valueAtLeast(min),
      maxRule: shape.max === undefined ? undefined : isLength ? lengthAtMost(shape.max) : valueAtMost(shape.max),
      pattern: acceptedPattern === undefined ? undefined : javaPattern(acceptedPattern),
      patternRule: shape.pattern === undefined ? undefined : matchesPattern(shape.pattern),
      enumValues: shape.enum ? new Set(shape.enum) : undefined,
      enumRule: shape.enum ? inEnum(coralEnumOrder(shape.enum)) : undefined,
      members: [],
      byWireName: new Map(),
      validationOrder: [],
      element: undefined,
      key: undefined,
      value: undefined,
      elementRule: undefined,
      keyRule: undefined,
      valueRule: undefined,
      hasRules: false,
    };
  });

  model.shapes.forEach((shape, index) => {
    const node = nodes[index]!;
    if (shape.members) {
      const required = new Set(shape.required ?? []);
      const members = shape.members.map(([wireName, shapeIndex]) => ({
        wireName, pathName: lowerFirst(wireName), shape: nodes[shapeIndex]!, required: required.has(wireName),
      }));
      const byPathName = new Map(members.map((member) => [member.pathName, member]));
      node.members = members;
      node.byWireName = new Map(members.map((member) => [member.wireName, member]));
      node.validationOrder = coralMemberOrder(members.map((member) => member.pathName)).map((name) => byPathName.get(name)!);
    }
    if (shape.member !== undefined) node.element = nodes[shape.member];
    if (shape.key !== undefined) node.key = nodes[shape.key];
    if (shape.value !== undefined) node.value = nodes[shape.value];
  });

  for (const node of nodes) {
    if (node.element && isScalar(node.element.kind)) {
      const rules = scalarRules(node.element);
      if (rules.length) node.elementRule = elementRules('Member', rules);
    }
    if (node.key) {
      const rules = scalarRules(node.key);
      if (rules.length) node.keyRule = elementRules('Map keys', rules);
    }
    if (node.value && isScalar(node.value.kind)) {
      const rules = scalarRules(node.value);
      if (rules.length) node.valueRule = elementRules('Map value', rules);
    }
  }

  const visiting = new Set<ShapeNode>();
  const decided = new Set<ShapeNode>();
  function decideRules(node: ShapeNode): boolean {
    if (decided.has(node) || visiting.has(node)) return node.hasRules;
    visiting.add(node);
    // Every list and map has a rule: its elements must not be null.
    let hasRules = node.kind === Kind.List || node.kind === Kind.Map
      || node.min !== undefined || node.max !== undefined || node.pattern !== undefined || node.enumValues !== undefined;
    for (const member of node.members) if (decideRules(member.shape) || member.required) hasRules = true;
    for (const child of [node.element, node.key, node.value]) if (child && decideRules(child)) hasRules = true;
    node.hasRules = hasRules;
    visiting.delete(node);
    decided.add(node);
    return hasRules;
  }
  nodes.forEach(decideRules);

  const operations = new Map<string, ShapeNode | undefined>();
  for (const [name, index] of Object.entries(model.operations)) operations.set(name, index < 0 ? undefined : nodes[index]);
  return { operations };
}
