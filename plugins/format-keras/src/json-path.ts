/** Appends an object key to a JSON path: `a.b` for identifiers, `a["odd key"]` otherwise. */
export function childPath(path: string, key: string): string {
  if (/^[A-Za-z_]\w*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}
