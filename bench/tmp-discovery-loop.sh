#!/bin/bash
# The peer: what a person's script does today, one namespace after another.
ip -j -d -s link; ip -j addr; ip -j route show table all; iptables-save; nft -j list ruleset
for ns in $(ip netns list | cut -d' ' -f1); do
  ip -n "$ns" -j -d -s link; ip -n "$ns" -j addr; ip -n "$ns" -j route show table all
  ip netns exec "$ns" iptables-save; ip netns exec "$ns" nft -j list ruleset
done
