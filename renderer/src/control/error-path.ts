/** `intents.3.a.name` → intent 3, field "a.name"; anything else → null (a whole-plan error). */
export function intentErrorPath(path: string | undefined): { index: number; field: string } | null {
  const m = /^intents\.(\d+)(?:\.(.+))?$/.exec(path ?? '');
  if (!m?.[1]) return null;
  return { index: Number(m[1]), field: m[2] ?? '' };
}
