import type { Layout, LayoutInput, Point } from './layout-types.js';

/** Where nodes that are gone were (kept for the pending ones only): their real twins may still come. */
export type Retired = Map<string, { position: Point; size?: { width: number; height: number } }>;

/**
 * A node that has just appeared takes the place of the pending node it was drawn as (issue 15):
 * the namespace a person created stays where its dashed box was. `twins(id)` names the candidates.
 */
export function adoptTwins(base: Layout, input: LayoutInput, twins: (id: string) => string[], retired: Retired): Layout {
  let out: Layout | null = null;
  for (const n of input.nodes) {
    if (base.positions[n.id]) continue;
    for (const t of twins(n.id)) {
      const position = base.positions[t] ?? retired.get(t)?.position;
      if (!position) continue;
      out ??= { positions: { ...base.positions }, sizes: { ...base.sizes } };
      out.positions[n.id] = { ...position };
      const size = base.sizes[t] ?? retired.get(t)?.size;
      if (size && n.group) out.sizes[n.id] = { ...size };
      break;
    }
  }
  return out ?? base;
}

/** Remembers where the pending nodes of `before` were, when `after` no longer has them. */
export function retire(before: Layout | null, after: Layout, retired: Retired): void {
  if (!before) return;
  for (const [id, position] of Object.entries(before.positions)) {
    if (!id.includes('pending:') || after.positions[id]) continue;
    const size = before.sizes[id];
    retired.set(id, size ? { position, size } : { position });
  }
}
