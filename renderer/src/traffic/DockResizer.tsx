import type { KeyboardEvent, PointerEvent } from 'react';

const MIN = 160;

/** The dock's top edge: drag (or arrow keys) to give the captures more or less room. */
export function DockResizer({ height, onHeight }: { height: number; onHeight: (h: number) => void }) {
  const clamp = (h: number) => Math.round(Math.min(window.innerHeight - 160, Math.max(MIN, h)));
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const startY = e.clientY;
    const startH = height;
    const move = (ev: globalThis.PointerEvent) => onHeight(clamp(startH + startY - ev.clientY));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowUp') onHeight(clamp(height + 40));
    else if (e.key === 'ArrowDown') onHeight(clamp(height - 40));
    else return;
    e.preventDefault();
  };
  return <div className="dock-resizer" role="separator" aria-orientation="horizontal" aria-label="resize the captures" aria-valuenow={height} tabIndex={0} onPointerDown={onPointerDown} onKeyDown={onKey} />;
}
