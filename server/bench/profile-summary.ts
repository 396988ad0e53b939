// The functions that took the most CPU in a V8 CPU profile, by self time, grouped by function and
// by package: a flame graph's widest leaves, as text.
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export function summarizeProfile(file: string, functions = 25): string {
  const { nodes } = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[] };
  const total = nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const n of nodes) {
    const { functionName, url, lineNumber } = n.callFrame;
    const where = url.replace(/^file:\/\//, '').replace(/^.*?\/(node_modules|dist)\//, '$1/');
    const key = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + (n.hitCount ?? 0));
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? (where.startsWith('dist/') ? 'Hatch' : where ? 'node' : functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + (n.hitCount ?? 0));
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
  return `${path.basename(file)}: ${total} samples\n\nBy package or area:\n${top(byPackage, 12).join('\n')}\n\nBy function (self time):\n${top(byFunction, functions).join('\n')}`;
}
