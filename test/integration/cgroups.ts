import { readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Removes the cgroups a runtime in the sandbox made, in every hierarchy below /sys/fs/cgroup,
 * deepest first (the sandbox shares the machine's cgroup tree): every directory `ours(name)`
 * accepts, looking no deeper into those `skip(name)` names.
 */
export function removeCgroupsWhere(ours: (name: string) => boolean, skip: (name: string) => boolean = () => false, base = '/sys/fs/cgroup', depth = 0): void {
  if (depth > 3) return;
  let entries: string[] = [];
  try {
    entries = readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(base, e);
    if (ours(e)) removeTree(p);
    else if (!skip(e)) removeCgroupsWhere(ours, skip, p, depth + 1);
  }
}

/** The cgroups under a runtime's `--cgroup-parent` NAME. */
export const removeCgroupsNamed = (name: string): void => removeCgroupsWhere((e) => e === name);

function removeTree(p: string): void {
  try {
    for (const e of readdirSync(p, { withFileTypes: true })) if (e.isDirectory()) removeTree(join(p, e.name));
    rmdirSync(p);
  } catch {
    // still busy (another container's monitor in lxc.pivot) or already gone
  }
}
