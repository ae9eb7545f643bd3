import { paramsField } from '../../../protocol/src/index.js';

/**
 * `params.intents.3.a.name` (the helper's one path form, DESIGN §2) → intent 3, field "a.name";
 * anything else → null (a whole-plan error).
 */
export function intentErrorPath(path: string | undefined): { index: number; field: string } | null {
  const m = /^intents\.(\d+)(?:\.(.+))?$/.exec(paramsField(path) ?? '');
  if (!m?.[1]) return null;
  return { index: Number(m[1]), field: m[2] ?? '' };
}
