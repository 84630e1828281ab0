#!/usr/bin/env node
/**
 * Refreshes models/kinesis.json and models/firehose.json from botocore service models.
 *
 * Usage: node models/vendor.mjs <dir holding kinesis-2013-12-02.json and firehose-2015-08-04.json>
 *
 * Keeps only the data Runnel needs (operations, shapes, constraints, errors) and drops AWS's
 * documentation prose. Kinesis operations and members that are newer than the botocore model are
 * taken from the installed @aws-sdk/client-kinesis: its schemas give member order, types and
 * required members; its .d.ts files give enum types and errors. The SDK carries no length, range or
 * pattern constraints, so those additions have none. See models/SOURCE.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const SHAPE_KEYS = ['type', 'required', 'members', 'member', 'key', 'value', 'min', 'max', 'pattern', 'enum',
  'exception', 'fault', 'error', 'streaming', 'eventstream', 'event', 'timestampFormat', 'deprecated'];
const MEMBER_KEYS = ['shape', 'eventpayload', 'eventheader', 'timestampFormat', 'jsonvalue', 'idempotencyToken', 'deprecated'];
const METADATA_KEYS = ['apiVersion', 'endpointPrefix', 'jsonVersion', 'protocol', 'serviceAbbreviation', 'serviceFullName',
  'serviceId', 'signatureVersion', 'signingName', 'targetPrefix', 'uid'];

function pick(object, keys) {
  const out = {};
  for (const key of keys) if (object[key] !== undefined) out[key] = object[key];
  return out;
}

function trimShape(shape) {
  const out = pick(shape, SHAPE_KEYS);
  if (shape.members) {
    out.members = {};
    for (const [name, member] of Object.entries(shape.members)) out.members[name] = pick(member, MEMBER_KEYS);
  }
  for (const ref of ['member', 'key', 'value']) if (shape[ref]) out[ref] = pick(shape[ref], MEMBER_KEYS);
  return out;
}

function trimOperation(operation) {
  const out = {};
  if (operation.input) out.input = { shape: operation.input.shape };
  if (operation.output) out.output = { shape: operation.output.shape };
  out.errors = (operation.errors ?? []).map((error) => error.shape);
  return out;
}

function trimModel(model) {
  const operations = {};
  for (const name of Object.keys(model.operations).sort()) operations[name] = trimOperation(model.operations[name]);
  const shapes = {};
  for (const name of Object.keys(model.shapes).sort()) shapes[name] = trimShape(model.shapes[name]);
  return { version: model.version, metadata: pick(model.metadata, METADATA_KEYS), operations, shapes };
}

/** Adds what @aws-sdk/client-kinesis knows and the botocore model does not. */
function addSdkKinesis(model) {
  const sdkDir = path.dirname(require.resolve('@aws-sdk/client-kinesis/package.json'));
  const sdkVersion = JSON.parse(fs.readFileSync(path.join(sdkDir, 'package.json'), 'utf8')).version;
  const sdk = require(path.join(sdkDir, 'dist-cjs/index.js'));
  const typesText = fs.readFileSync(path.join(sdkDir, 'dist-types/models/models_0.d.ts'), 'utf8');
  const enumsText = fs.readFileSync(path.join(sdkDir, 'dist-types/models/enums.d.ts'), 'utf8');
  const enumNames = new Set([...enumsText.matchAll(/export type (\w+) =/g)].map((m) => m[1]));
  const added = { source: `@aws-sdk/client-kinesis@${sdkVersion}`, operations: [], shapes: [], members: [] };

  /** Member type names as written in the SDK's interfaces, e.g. ChannelEncryptionConfiguration.EncryptionType → ChannelEncryptionType. */
  function declaredType(structure, member) {
    const body = typesText.match(new RegExp(`export interface ${structure} \\{([\\s\\S]*?)\\n\\}`));
    if (!body) return undefined;
    const line = body[1].match(new RegExp(`\\n\\s+${member}\\??: ([\\w<>, \\[\\]]+?)(?: \\| undefined)?;`));
    return line?.[1];
  }

  function addShape(name, shape) {
    if (!model.shapes[name]) {
      model.shapes[name] = shape;
      added.shapes.push(name);
    }
    return name;
  }

  function simpleShape(structure, member, code) {
    const declared = declaredType(structure, member);
    if (code === 0) {
      if (declared && enumNames.has(declared)) {
        return addShape(declared, { type: 'string', enum: Object.values(sdk[declared]) });
      }
      if (model.shapes[member]?.type === 'string') return member;
      return addShape(member, { type: 'string' });
    }
    if (code === 1) return model.shapes[member]?.type === 'integer' ? member : addShape(`${member}Integer`, { type: 'integer' });
    if (code === 2) return 'BooleanObject';
    if (code === 4) return 'Timestamp';
    if (code === 21) return addShape('Data', { type: 'blob' });
    if (code === (64 | 0)) return addShape(`${member}List`, { type: 'list', member: { shape: simpleShape(structure, member, 0) } });
    if (code === (128 | 0)) return member === 'Tags' ? 'TagMap' : addShape(`${member}Map`, { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } });
    throw new Error(`unknown SDK schema code ${code} at ${structure}.${member}`);
  }

  function schemaShape(structure, member, schema) {
    const resolved = typeof schema === 'function' ? schema() : schema;
    if (!Array.isArray(resolved)) return simpleShape(structure, member, resolved);
    const [kind, , name] = resolved;
    if (kind === 3) return structureShape(resolved);
    if (kind === 1) {
      if (!model.shapes[name]) addShape(name, { type: 'list', member: { shape: schemaShape(name, 'member', resolved[4]) } });
      return name;
    }
    if (kind === 2) {
      if (!model.shapes[name]) addShape(name, { type: 'map', key: { shape: 'String' }, value: { shape: schemaShape(name, 'value', resolved[5]) } });
      return name;
    }
    throw new Error(`unknown SDK schema kind ${kind} for ${name}`);
  }

  const visited = new Set();

  /** Walks the SDK's nested schemas of a structure the botocore model already has, adding missing members. */
  function visitKnown(schema) {
    const resolved = typeof schema === 'function' ? schema() : schema;
    if (!Array.isArray(resolved)) return;
    if (resolved[0] === 3) structureShape(resolved);
    else if (resolved[0] === 1) visitKnown(resolved[4]);
    else if (resolved[0] === 2) visitKnown(resolved[5]);
  }

  function structureShape(schema) {
    const [, , name, , memberNames, memberSchemas, requiredCount = 0] = schema;
    const existing = model.shapes[name];
    if (existing) {
      if (visited.has(name)) return name;
      visited.add(name);
      memberNames.forEach((member, index) => {
        if (existing.members[member]) {
          visitKnown(memberSchemas[index]);
          return;
        }
        existing.members[member] = { shape: schemaShape(name, member, memberSchemas[index]) };
        added.members.push(`${name}.${member}`);
      });
      return name;
    }
    const shape = { type: 'structure', required: memberNames.slice(0, requiredCount), members: {} };
    addShape(name, shape);
    memberNames.forEach((member, index) => { shape.members[member] = { shape: schemaShape(name, member, memberSchemas[index]) }; });
    if (shape.required.length === 0) delete shape.required;
    return name;
  }

  for (const [exportName, schema] of Object.entries(sdk)) {
    if (!exportName.endsWith('$') || !Array.isArray(schema) || schema[0] !== 9) continue;
    const operation = schema[2];
    const input = schema[4]();
    const output = schema[5]();
    const known = model.operations[operation];
    if (known) {
      if (Array.isArray(input)) structureShape(input);
      if (Array.isArray(output)) structureShape(output);
      continue;
    }
    const commandText = fs.readFileSync(path.join(sdkDir, `dist-types/commands/${operation}Command.d.ts`), 'utf8');
    const errors = [...new Set([...commandText.matchAll(/@throws \{@link (\w+)\} \(/g)].map((m) => m[1]))]
      .filter((name) => name !== 'KinesisServiceException');
    model.operations[operation] = {
      ...(Array.isArray(input) ? { input: { shape: structureShape(input) } } : {}),
      ...(Array.isArray(output) ? { output: { shape: structureShape(output) } } : {}),
      errors,
    };
    added.operations.push(operation);
  }
  if (!model.shapes.String) addShape('String', { type: 'string' });
  model.operations = Object.fromEntries(Object.entries(model.operations).sort(([a], [b]) => a.localeCompare(b)));
  model.shapes = Object.fromEntries(Object.entries(model.shapes).sort(([a], [b]) => a.localeCompare(b)));
  model.additions = added;
  return model;
}

function main() {
  const sourceDir = process.argv[2];
  if (!sourceDir) {
    console.error('usage: node models/vendor.mjs <botocore models dir>');
    process.exit(2);
  }
  const read = (file) => JSON.parse(fs.readFileSync(path.join(sourceDir, file), 'utf8'));
  const kinesis = addSdkKinesis(trimModel(read('kinesis-2013-12-02.json')));
  const firehose = trimModel(read('firehose-2015-08-04.json'));
  fs.writeFileSync(path.join(here, 'kinesis.json'), JSON.stringify(kinesis, null, 1) + '\n');
  fs.writeFileSync(path.join(here, 'firehose.json'), JSON.stringify(firehose, null, 1) + '\n');
}

main();
