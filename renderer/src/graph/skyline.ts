/**
 * Skyline packing: rectangles placed in order into a strip `width` wide, each at the lowest spot
 * it fits (then the leftmost), so a short box fills the room beside a tall one instead of
 * starting a row of its own. Uniform boxes come out as plain rows, in order. Pure.
 */
export interface Placed {
  x: number;
  y: number;
}

interface Segment {
  x: number;
  width: number;
  top: number;
}

export function packSkyline(rects: readonly { width: number; height: number }[], width: number, gap: { x: number; y: number }): { placed: Placed[]; width: number; height: number } {
  // The skyline: the top of what is placed so far, left to right; gaps are added to each rectangle.
  let line: Segment[] = [{ x: 0, width: Number.MAX_SAFE_INTEGER, top: 0 }];
  const placed: Placed[] = [];
  let right = 0;
  let bottom = 0;
  for (const r of rects) {
    const w = r.width + gap.x;
    let best: { x: number; y: number } | null = null;
    for (let i = 0; i < line.length; i++) {
      const x = line[i]!.x;
      // Only the first spot may overflow the strip (a box wider than the strip still goes somewhere).
      if (x > 0 && x + r.width > width) break;
      let y = 0;
      for (let j = i, covered = x; j < line.length && covered < x + w; j++) {
        y = Math.max(y, line[j]!.top);
        covered = line[j]!.x + line[j]!.width;
      }
      if (best === null || y < best.y) best = { x, y };
    }
    const at = best ?? { x: 0, y: bottom };
    placed.push(at);
    line = raise(line, at.x, w, at.y + r.height + gap.y);
    right = Math.max(right, at.x + r.width);
    bottom = Math.max(bottom, at.y + r.height);
  }
  return { placed, width: right, height: bottom };
}

/** The skyline with [x, x+w) raised to `top`; neighbours of equal height merged. */
function raise(line: Segment[], x: number, w: number, top: number): Segment[] {
  const out: Segment[] = [];
  const push = (s: Segment) => {
    const last = out[out.length - 1];
    if (s.width <= 0) return;
    if (last && last.top === s.top && last.x + last.width === s.x) last.width += s.width;
    else out.push({ ...s });
  };
  let inserted = false;
  for (const s of line) {
    const end = s.x + s.width;
    if (end <= x || s.x >= x + w) {
      if (!inserted && s.x >= x + w) {
        push({ x, width: w, top });
        inserted = true;
      }
      push(s);
      continue;
    }
    if (s.x < x) push({ x: s.x, width: x - s.x, top: s.top });
    if (!inserted) {
      push({ x, width: w, top });
      inserted = true;
    }
    if (end > x + w) push({ x: x + w, width: end - (x + w), top: s.top });
  }
  if (!inserted) push({ x, width: w, top });
  return out;
}
