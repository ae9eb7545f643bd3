import { z } from 'zod';
import type { RuntimeNetworkSeed } from './types.js';

/**
 * The CNI networks a CRI runtime loaded, from containerd's `Status(verbose)` info["cniconfig"]
 * (libcni's config: each network's conflist source). Only bridge-plugin networks have a bridge on
 * the node to name (`bridge`, default "cni0", the plugin's own default); the plugin chain goes
 * into the explanation ("bridge + portmap"). CRI-O's Status carries no cniconfig: its networks
 * stay unnamed (its pods are still named).
 */
const Plugin = z.object({
  type: z.string(),
  bridge: z.string().optional(),
  isGateway: z.boolean().optional(),
  ipMasq: z.boolean().optional(),
  ipam: z
    .object({
      subnet: z.string().optional(),
      gateway: z.string().optional(),
      ranges: z.array(z.array(z.object({ subnet: z.string(), gateway: z.string().optional() }))).optional(),
    })
    .optional(),
});
const Conflist = z.object({ name: z.string(), plugins: z.array(Plugin).optional(), type: z.string().optional() });
const CniConfig = z.object({ Networks: z.array(z.object({ Config: z.object({ Name: z.string(), Source: z.string() }) })).nullable().optional() });

export function parseCniConfig(text: string, runtime: string): RuntimeNetworkSeed[] {
  let networks: { Config: { Name: string; Source: string } }[] = [];
  try {
    networks = CniConfig.parse(JSON.parse(text)).Networks ?? [];
  } catch {
    return [];
  }
  const out: RuntimeNetworkSeed[] = [];
  for (const n of networks) {
    const parsed = (() => {
      try {
        return Conflist.parse(JSON.parse(n.Config.Source));
      } catch {
        return null;
      }
    })();
    if (parsed === null) continue;
    // A single-plugin .conf is the plugin itself (type, bridge, ipam at the top).
    const plugins = parsed.plugins ?? (parsed.type !== undefined ? [Plugin.parse(JSON.parse(n.Config.Source))] : []);
    const bridge = plugins.find((p) => p.type === 'bridge');
    if (bridge === undefined) continue;
    const range = bridge.ipam?.ranges?.[0]?.[0];
    const subnet = range?.subnet ?? bridge.ipam?.subnet ?? null;
    const gateway = range?.gateway ?? bridge.ipam?.gateway ?? null;
    const bridgeName = bridge.bridge ?? 'cni0';
    const chain = plugins.map((p) => p.type).join(' + ');
    const explanation = [`CNI network '${parsed.name}' (${chain}) on ${bridgeName}${subnet !== null ? `, ${subnet}` : ''}: the node's pod bridge, ${runtime} asks CNI for each pod`];
    if (plugins.some((p) => p.type === 'portmap')) explanation.push(`portmap maps each pod's hostPort with DNAT chains (CNI-HOSTPORT-DNAT → CNI-DN-…)`);
    if (bridge.ipMasq === true) explanation.push(`ipMasq: traffic from ${subnet ?? 'the pods'} leaving the bridge is masqueraded (CNI-… chains in nat POSTROUTING)`);
    out.push({ runtime, name: parsed.name, id: parsed.name, driver: chain, bridgeName, subnet, gateway, options: {}, explanation });
  }
  return out;
}
