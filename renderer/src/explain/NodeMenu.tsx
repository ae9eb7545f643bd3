import { useEffect, useRef } from 'react';
import './explain.css';

export interface NodeMenuState {
  id: string;
  /** What the node is called ("ns1", "eth0 in ns1"). */
  label: string;
  x: number;
  y: number;
}

interface Props {
  menu: NodeMenuState;
  onFrom: () => void;
  onTo: () => void;
  /** "Explain between the selected", when two are selected. */
  onPair: (() => void) | null;
  onClose: () => void;
}

/** Right-click on a namespace or interface: explain from here, to here, or between the two selected. */
export function NodeMenu({ menu, onFrom, onTo, onPair, onClose }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const away = (e: MouseEvent) => !box.current?.contains(e.target as Node) && onClose();
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('mousedown', away);
    window.addEventListener('keydown', key, true);
    box.current?.querySelector<HTMLButtonElement>('button')?.focus();
    return () => {
      window.removeEventListener('mousedown', away);
      window.removeEventListener('keydown', key, true);
    };
  }, [onClose]);
  const item = (label: string, run: () => void) => (
    <button
      type="button"
      role="menuitem"
      onClick={() => {
        run();
        onClose();
      }}
    >
      {label}
    </button>
  );
  return (
    <div ref={box} className="ex-node-menu" role="menu" aria-label={`explain ${menu.label}`} style={{ left: menu.x, top: menu.y }}>
      {item(`Explain from ${menu.label}…`, onFrom)}
      {item(`Explain to ${menu.label}`, onTo)}
      {onPair ? item('Explain between the two selected', onPair) : null}
    </div>
  );
}
