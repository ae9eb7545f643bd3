import type { ContainerInfo, RuntimeNetwork, Snapshot } from '../../../protocol/src/index.js';

// The runtimes' own spellings, as their documentation writes them (helper/discover/runtimes).
const RUNTIME_NAMES: Record<string, string> = { docker: 'Docker', podman: 'Podman', lxc: 'LXC', containerd: 'containerd', nerdctl: 'containerd' };

/** "Docker", "Podman", "LXC", "containerd"; an unknown runtime keeps its own word. */
export function runtimeDisplayName(runtime: string): string {
  return RUNTIME_NAMES[runtime] ?? runtime;
}

/** A container box's second line: runtime, image, networks — "Docker · nginx:1.25 · bridge, my-net". */
export function containerSubtitle(c: ContainerInfo): string {
  const parts = [runtimeDisplayName(c.runtime)];
  if (c.image) parts.push(c.image);
  if (c.networks?.length) parts.push(c.networks.join(', '));
  return parts.join(' · ');
}

/** The runtime networks whose bridge is this interface (Docker's "bridge" on docker0, a user network on br-…). */
export function networksOnBridge(s: Snapshot, ifaceId: string): RuntimeNetwork[] {
  return (s.runtimeNetworks ?? []).filter((n) => n.bridge === ifaceId);
}

/** A container's runtime network by name (its explanation sentences live there). */
export function runtimeNetworkNamed(s: Snapshot, c: ContainerInfo, name: string): RuntimeNetwork | undefined {
  return (s.runtimeNetworks ?? []).find((n) => n.runtime === c.runtime && n.name === name);
}
