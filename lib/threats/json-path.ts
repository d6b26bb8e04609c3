/**
 * A small JSONPath subset (RFC 9535 syntax) to pick IOC values out of JSON feeds:
 * `$`, `.name`, `['name']`, `[n]`, `[*]`, `.*` and `..name` (descendants). Filters and slices
 * are not supported; a path using them is refused when the feed is saved.
 */
type Step = { kind: 'child'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' } | { kind: 'descendant'; name: string | null };

export class JsonPathError extends Error {}

export function compileJsonPath(path: string): Step[] {
  const text = path.trim();
  if (!text.startsWith('$')) throw new JsonPathError('a JSON path starts with $');
  const steps: Step[] = [];
  let i = 1;
  const name = /^[A-Za-z_][A-Za-z0-9_-]*/;
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest.startsWith('..')) {
      const m = name.exec(rest.slice(2));
      if (rest.slice(2).startsWith('*')) {
        steps.push({ kind: 'descendant', name: null });
        i += 3;
      } else if (m) {
        steps.push({ kind: 'descendant', name: m[0] });
        i += 2 + m[0].length;
      } else throw new JsonPathError(`unexpected "${rest.slice(0, 10)}" in the JSON path`);
    } else if (rest.startsWith('.*')) {
      steps.push({ kind: 'wildcard' });
      i += 2;
    } else if (rest.startsWith('.')) {
      const m = name.exec(rest.slice(1));
      if (!m) throw new JsonPathError(`expected a member name after "." in the JSON path`);
      steps.push({ kind: 'child', name: m[0] });
      i += 1 + m[0].length;
    } else if (rest.startsWith('[*]')) {
      steps.push({ kind: 'wildcard' });
      i += 3;
    } else {
      const quoted = /^\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(rest);
      const index = /^\[\s*(-?\d+)\s*\]/.exec(rest);
      if (quoted) {
        steps.push({ kind: 'child', name: (quoted[1] ?? quoted[2]).replace(/\\(.)/g, '$1') });
        i += quoted[0].length;
      } else if (index) {
        steps.push({ kind: 'index', index: Number(index[1]) });
        i += index[0].length;
      } else throw new JsonPathError(`unsupported JSON path syntax at "${rest.slice(0, 10)}"`);
    }
  }
  return steps;
}

function* descendants(value: unknown): Generator<unknown> {
  if (Array.isArray(value)) {
    for (const item of value) {
      yield item;
      yield* descendants(item);
    }
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) {
      yield item;
      yield* descendants(item);
    }
  }
}

/** Every value the path selects in `root` (document order). */
export function evaluateJsonPath(steps: Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'child') {
        if (value && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, step.name)) next.push((value as Record<string, unknown>)[step.name]);
      } else if (step.kind === 'index') {
        if (Array.isArray(value)) {
          const item = value[step.index < 0 ? value.length + step.index : step.index];
          if (item !== undefined) next.push(item);
        }
      } else if (step.kind === 'wildcard') {
        if (Array.isArray(value)) next.push(...value);
        else if (value && typeof value === 'object') next.push(...Object.values(value));
      } else {
        // RFC 9535 §2.5.2: the descendants of a node, then the member selector applies to each.
        for (const node of [value, ...descendants(value)]) {
          if (step.name === null) {
            if (node !== value) next.push(node);
          } else if (node && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, step.name)) {
            next.push((node as Record<string, unknown>)[step.name]);
          }
        }
      }
    }
    current = next;
  }
  return current;
}
