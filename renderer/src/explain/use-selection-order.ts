import { useOnSelectionChange } from '@xyflow/react';
import { useCallback, useState } from 'react';
import type { OnSelectionChangeParams } from '@xyflow/react';

/**
 * The selected nodes' ids in the order they were picked (React Flow reports them in graph
 * order): for "explain between the selected", the first picked is the source.
 */
export function useSelectionOrder(): string[] {
  const [ids, setIds] = useState<string[]>([]);
  const onChange = useCallback(({ nodes }: OnSelectionChangeParams) => {
    setIds((prev) => {
      const now = new Set(nodes.map((n) => n.id));
      const kept = prev.filter((id) => now.has(id));
      const added = nodes.map((n) => n.id).filter((id) => !kept.includes(id));
      const next = [...kept, ...added];
      return next.length === prev.length && next.every((id, k) => id === prev[k]) ? prev : next;
    });
  }, []);
  useOnSelectionChange({ onChange });
  return ids;
}
