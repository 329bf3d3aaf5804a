// How a query result's columns are named apart when the statement repeats a name (`SELECT a.id, b.id`): the
// datasource names them so, and SqlBuilder then names every column in its WITH column list.

/**
 * Result column names made unique the way query schemas name them: the second "id" becomes "id (2)", the third
 * "id (3)" (skipping names the result already has).
 */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const taken = new Set(names);
  const seen = new Set<string>();
  return names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let n = 2;
    while (taken.has(`${name} (${n})`) || seen.has(`${name} (${n})`)) n++;
    const unique = `${name} (${n})`;
    seen.add(unique);
    return unique;
  });
}

/** Whether some name is another one renamed apart by `uniqueColumnNames` (then the wrapper must name the columns). */
export function renamedApart(names: readonly string[]): boolean {
  const all = new Set(names);
  return names.some((name) => {
    const match = / \((\d+)\)$/.exec(name);
    return match !== null && all.has(name.slice(0, match.index));
  });
}
