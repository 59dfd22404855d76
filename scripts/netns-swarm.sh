#!/usr/bin/env bash
# Several "hosts" on one Linux machine for a real Stamen swarm with network delays: one network
# namespace per node of an RTT matrix (the CSV format Stamen's scenarios read: a header
# node,<name1>,<name2>,... and one row per node, RTTs in ms), joined by a bridge, each namespace's
# interface delaying packets to every other node by half their RTT with tc netem, so a round trip
# between nodes i and j takes RTT(i,j). Addresses are private 10.77.0.0/24 ones inside the
# namespaces only. Needs root (CAP_NET_ADMIN), iproute2 (ip, tc) and at most 14 nodes.
#
#   sudo scripts/netns-swarm.sh up matrix.csv      # namespaces st0..stN-1 = the matrix's nodes in order
#   sudo scripts/netns-swarm.sh list               # node, namespace, address
#   sudo scripts/netns-swarm.sh exec 1 stamen serve --model small-100m --blocks 0:6 --port 7001
#   sudo scripts/netns-swarm.sh exec 0 ping -c 3 10.77.0.2
#   sudo scripts/netns-swarm.sh down
#
# Inside, run `stamen registry` in one namespace and `stamen serve --registry http://10.77.0.K:7000`
# in others; a server announces the address it listens on, so pass --port and reach it at 10.77.0.(i+1).
set -euo pipefail

PREFIX=st
BRIDGE=stbr0
STATE=/run/stamen-netns-swarm.nodes

die() { echo "netns-swarm: $*" >&2; exit 2; }
need_root() { [ "$(id -u)" -eq 0 ] || die "needs root (network namespaces and tc); run with sudo"; }

up() {
  local csv=$1
  [ -f "$csv" ] || die "matrix not found: $csv (header node,<name1>,...; one row per node, RTT ms)"
  need_root
  [ -e "$STATE" ] && die "already up ($STATE exists); run down first"
  mapfile -t names < <(head -1 "$csv" | tr -d '\r' | cut -d, -f2- | tr ',' '\n')
  local n=${#names[@]}
  # Leave nothing half-built: on any failure remove what was created so far.
  trap 'for k in $(seq 0 $((n - 1))); do ip netns del "$PREFIX$k" 2>/dev/null || true; done; ip link del "$BRIDGE" 2>/dev/null || true' ERR
  [ "$n" -ge 2 ] || die "the matrix needs at least two nodes"
  [ "$n" -le 14 ] || die "at most 14 nodes (tc prio has 16 bands)"
  ip link add "$BRIDGE" type bridge
  ip link set "$BRIDGE" up
  for i in $(seq 0 $((n - 1))); do
    ip netns add "$PREFIX$i"
    ip link add "${PREFIX}v$i" type veth peer name eth0 netns "$PREFIX$i"
    ip link set "${PREFIX}v$i" master "$BRIDGE" up
    ip -n "$PREFIX$i" addr add "10.77.0.$((i + 1))/24" dev eth0
    ip -n "$PREFIX$i" link set eth0 up
    ip -n "$PREFIX$i" link set lo up
  done
  # Row i of the matrix: the delays from node i. Each direction carries half the round trip.
  for i in $(seq 0 $((n - 1))); do
    local row
    row=$(tr -d '\r' < "$csv" | awk -F, -v name="${names[$i]}" 'NR > 1 && $1 == name { print; exit }')
    [ -n "$row" ] || die "no row for node ${names[$i]}"
    tc -n "$PREFIX$i" qdisc add dev eth0 root handle 1: prio bands 16 priomap 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
    for j in $(seq 0 $((n - 1))); do
      [ "$i" -eq "$j" ] && continue
      local rtt half band
      rtt=$(echo "$row" | cut -d, -f$((j + 2)))
      half=$(awk -v r="$rtt" 'BEGIN { printf "%.3f", r / 2 }')
      band=$((j + 2))
      tc -n "$PREFIX$i" qdisc add dev eth0 parent "1:$band" handle "$((band + 10)):" netem delay "${half}ms"
      tc -n "$PREFIX$i" filter add dev eth0 parent 1:0 protocol ip prio 1 u32 match ip dst "10.77.0.$((j + 1))/32" flowid "1:$band"
    done
  done
  trap - ERR
  for i in $(seq 0 $((n - 1))); do echo "${names[$i]} $PREFIX$i 10.77.0.$((i + 1))"; done > "$STATE"
  echo "up: $n nodes"; cat "$STATE"
}

down() {
  need_root
  if [ -e "$STATE" ]; then
    while read -r _ ns _; do ip netns del "$ns" 2>/dev/null || true; done < "$STATE"
    rm -f "$STATE"
  fi
  ip link del "$BRIDGE" 2>/dev/null || true
  echo "down"
}

case "${1:-}" in
  up) [ $# -eq 2 ] || die "usage: $0 up MATRIX.csv"; up "$2" ;;
  down) down ;;
  list) [ -e "$STATE" ] && cat "$STATE" || die "not up" ;;
  exec) [ $# -ge 3 ] || die "usage: $0 exec NODE_INDEX COMMAND..."; need_root; i=$2; shift 2; exec ip netns exec "$PREFIX$i" "$@" ;;
  *) die "usage: $0 up MATRIX.csv | list | exec NODE_INDEX COMMAND... | down" ;;
esac
