import type { Chain } from '../../../protocol/src/snapshot.js';

/**
 * A sentence for each chain a runtime writes, for the rules view. Docker's meanings are from its
 * libnetwork iptables driver (20.10+); a chain not listed here gets none.
 */
const BY_TABLE_CHAIN: Record<string, string> = {
  'nat DOCKER': "Docker's published ports: one DNAT per -p HOST:CONTAINER, entered from PREROUTING and OUTPUT for the host's own addresses.",
  'filter DOCKER': 'Docker lets traffic through to published container ports here: one ACCEPT per -p.',
  'filter DOCKER-USER': 'Your rules for traffic to and from containers: FORWARD jumps here first, and Docker never changes what you put here.',
  'filter DOCKER-ISOLATION-STAGE-1': 'Docker network isolation, step 1: traffic leaving a Docker bridge for another interface goes on to step 2.',
  'filter DOCKER-ISOLATION-STAGE-2': 'Docker network isolation, step 2: traffic going out onto another Docker bridge is dropped — Docker networks cannot reach each other.',
  'filter DOCKER-INGRESS': "Docker swarm's ingress network: published service ports.",
  'nat DOCKER-INGRESS': "Docker swarm's ingress network: DNAT of published service ports to the routing mesh.",
};

export function chainExplanation(table: string, chain: string): string | undefined {
  return BY_TABLE_CHAIN[`${table} ${chain}`];
}

/** The chains with their sentence added where one is known (new objects; others are returned as they are). */
export function explainChains(chains: Chain[]): Chain[] {
  return chains.map((c) => {
    const explanation = chainExplanation(c.table, c.chain);
    return explanation === undefined ? c : { ...c, explanation };
  });
}
