/**
 * Every rule netloom writes carries `netloom:<id>` as its comment (iptables `-m comment`, nftables
 * `comment`), and the snapshot hands that id out as `netloomId`, so nothing downstream has to
 * recover it from rule text.
 */
const TAG = /^netloom:([0-9a-z-]{1,40})$/;

/** The id of the first `netloom:<id>` comment, or null. */
export function netloomIdOf(comments: readonly string[]): string | null {
  for (const c of comments) {
    const m = TAG.exec(c.trim());
    if (m?.[1] !== undefined) return m[1];
  }
  return null;
}

export const netloomComment = (id: string): string => `netloom:${id}`;

/** `{ netloomId }` for a rule netloom made, nothing otherwise (the snapshot stays lean). */
export function netloomField(comments: readonly string[]): { netloomId?: string } {
  const id = netloomIdOf(comments);
  return id === null ? {} : { netloomId: id };
}
