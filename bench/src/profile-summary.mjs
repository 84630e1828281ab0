/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and ranks functions by self time.
 * Usable alone: `node bench/src/profile-summary.mjs FILE.cpuprofile [TOP]`.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ROOT_DIR } from './targets.mjs';

function location(callFrame) {
  const { url, lineNumber } = callFrame;
  if (!url) return '';
  const path = url.startsWith('file://') ? relative(ROOT_DIR, fileURLToPath(url)) : url;
  return `${path}:${lineNumber + 1}`;
}

export async function summarizeProfile(path, top = 25) {
  const profile = JSON.parse(await readFile(path, 'utf8'));
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map();
  let totalMicros = 0;
  profile.samples.forEach((nodeId, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    totalMicros += delta;
    selfMicros.set(nodeId, (selfMicros.get(nodeId) ?? 0) + delta);
  });

  const keyOf = (node) => `${node.callFrame.functionName || '(anonymous)'} ${location(node.callFrame)}`.trim();
  const byFunction = new Map();
  const byFile = new Map();
  for (const [nodeId, micros] of selfMicros) {
    const node = nodesById.get(nodeId);
    const where = location(node.callFrame);
    const key = keyOf(node);
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    const file = where ? where.replace(/:\d+$/, '') : node.callFrame.functionName || '(native, no script)';
    byFile.set(file, (byFile.get(file) ?? 0) + micros);
  }

  // Total (inclusive) time of Runnel's own functions: a sample counts once for every distinct
  // function on its stack, so a handler's figure includes everything it calls.
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const ownTotal = new Map();
  for (const [nodeId, micros] of selfMicros) {
    const seen = new Set();
    for (let id = nodeId; id !== undefined; id = parentOf.get(id)) {
      const node = nodesById.get(id);
      if (!node.callFrame.url.includes('/dist/src/')) continue;
      const key = keyOf(node);
      if (seen.has(key)) continue;
      seen.add(key);
      ownTotal.set(key, (ownTotal.get(key) ?? 0) + micros);
    }
  }
  const idle = byFunction.get('(idle)') ?? 0;
  byFunction.delete('(idle)');
  byFile.delete('(idle)');
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, selfMs: micros / 1000, percentOfBusy: (100 * micros) / (totalMicros - idle) }));
  return { path, totalMs: totalMicros / 1000, idleMs: idle / 1000, functions: rank(byFunction), files: rank(byFile), runnelInclusive: rank(ownTotal) };
}

export function renderProfile(summary) {
  const busyMs = summary.totalMs - summary.idleMs;
  const lines = [`Profile ${summary.path}: ${summary.totalMs.toFixed(0)} ms sampled, ${busyMs.toFixed(0)} ms busy (${((100 * busyMs) / summary.totalMs).toFixed(0)}%), the rest idle`];
  const section = (title, rows) => {
    lines.push(`\n${title}`, '| % of busy | ms | function / file |', '|---:|---:|---|');
    for (const row of rows) lines.push(`| ${row.percentOfBusy.toFixed(1)} | ${row.selfMs.toFixed(0)} | ${row.name} |`);
  };
  section('Top functions by self time', summary.functions);
  section('Top files by self time', summary.files);
  section("Runnel's own functions by total time (callees included)", summary.runnelInclusive);
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [, , file, top] = process.argv;
  if (!file) {
    process.stderr.write('usage: node bench/src/profile-summary.mjs FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  process.stdout.write(`${renderProfile(await summarizeProfile(file, Number(top ?? 25)))}\n`);
}
