import { readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Removes the cgroups a runtime in the sandbox made under its `--cgroup-parent` NAME, in every
 * hierarchy below /sys/fs/cgroup, deepest first (the sandbox shares the machine's cgroup tree).
 */
export function removeCgroupsNamed(name: string, base = '/sys/fs/cgroup', depth = 0): void {
  if (depth > 3) return;
  let entries: string[] = [];
  try {
    entries = readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(base, e);
    if (e === name) removeTree(p);
    else removeCgroupsNamed(name, p, depth + 1);
  }
}

function removeTree(p: string): void {
  try {
    for (const e of readdirSync(p, { withFileTypes: true })) if (e.isDirectory()) removeTree(join(p, e.name));
    rmdirSync(p);
  } catch {
    // still busy or already gone
  }
}
