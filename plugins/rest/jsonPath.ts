// The small JSON path language endpoint configs use to point into a response: dot-separated keys with optional
// [n] indexes ("data.items", "meta.next_cursor", "results[0].rows"). An empty path is the value itself. Keys that
// contain dots can be quoted: ["a.b"].

export type PathStep = string | number;

/** Parses a path; throws an Error saying where it is malformed. */
export function parseJsonPath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  const text = path.trim().replace(/^\$\.?/, '');
  let i = 0;
  const fail = (why: string) => new Error(`the JSON path "${path}" is malformed: ${why}`);
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      if (i === 0 || text[i + 1] === undefined || text[i + 1] === '.') throw fail('an empty key');
      i++;
      continue;
    }
    if (c === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) throw fail('a "[" without "]"');
      const inner = text.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) steps.push(Number(inner));
      else if (/^"[^"]*"$/.test(inner) || /^'[^']*'$/.test(inner)) steps.push(inner.slice(1, -1));
      else throw fail(`[${inner}] is neither an index nor a quoted key`);
      i = close + 1;
      continue;
    }
    const end = text.slice(i).search(/[.[]/);
    const key = end < 0 ? text.slice(i) : text.slice(i, i + end);
    if (key === '' || key.includes(']')) throw fail(`unexpected "${text[i]}"`);
    steps.push(key);
    i += key.length;
  }
  return steps;
}

/** The value at `steps` inside `value`, or undefined when any step is missing. */
export function getPath(value: unknown, steps: readonly PathStep[]): unknown {
  let current = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}

export function formatPath(steps: readonly PathStep[]): string {
  return steps.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[^.[\]"']+$/.test(s) ? `${i === 0 ? '' : '.'}${s}` : `["${s}"]`)).join('');
}
