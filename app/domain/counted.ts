/** "1 problem", "3 problems", "2 children": a count with its noun, as every message writes it. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
