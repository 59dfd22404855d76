#!/usr/bin/env bash
# Bring up a single-node Slurm cluster (slurmctld + slurmd + munged, all local, no systemd, no cgroups)
# so CI can submit job arrays with sbatch. Idempotent; safe to run repeatedly. Needs root.
# Success: at most one line on stdout. Failure: one "slurm-up: ..." line on stderr, exit 1.
set -uo pipefail

die() { echo "slurm-up: $*" >&2; exit 1; }
node="$(hostname -s)"
conf=/etc/slurm/slurm.conf
logs=/var/log/slurm
marker='# written by .ci/slurm-up.sh'

# Node state, with flags such as "*" (not responding) kept so callers can tell them apart.
node_state() { sinfo -h -n "$node" -o %T 2>/dev/null | head -n1; }
is_up() { [[ "$(node_state)" =~ ^(idle|mixed|allocated|completing)$ ]]; }
# A pid file counts only if its pid is still that daemon (stale files survive container restarts).
running() { local pid; pid="$(cat "$1" 2>/dev/null)" && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$(basename "$1" .pid)"* ]]; }
munge_ok() { timeout 5 munge -n 2>/dev/null | timeout 5 unmunge >/dev/null 2>&1; }
ours() { [[ ! -e $conf ]] || grep -qxF "$marker" "$conf"; }

# Fast path: a working cluster is left alone. slurmctld keeps showing a dead slurmd as idle for
# SlurmdTimeout (300 s), so for our own cluster the daemons' pids are checked too.
# (sinfo blocks ~50 s in munge retries when munged is dead, hence the bounded munge check first.)
if command -v sinfo >/dev/null 2>&1 && munge_ok && is_up; then
  ! ours && exit 0
  running /run/slurmd.pid && running /run/slurmctld.pid && exit 0
fi

[[ $EUID -eq 0 ]] || die "must run as root (installs packages and starts daemons)"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sinfo >/dev/null \
   || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends slurm-wlm munge; } >/tmp/slurm-up-apt.log 2>&1 \
    || die "apt-get install slurm-wlm munge failed; see /tmp/slurm-up-apt.log"
fi

# munge: the key must belong to the munge user and be unreadable to others, or munged refuses it.
key=/etc/munge/munge.key
if [[ ! -s $key ]]; then
  install -d -o munge -g munge -m 0700 /etc/munge
  mungekey --create --keyfile="$key" >/dev/null 2>&1 \
    || dd if=/dev/urandom of="$key" bs=1024 count=1 status=none || die "could not create $key"
fi
{ chown munge:munge "$key" && chmod 0400 "$key"; } || die "could not set owner/mode of $key"
if ! running /run/munge/munged.pid; then
  # systemd would create the runtime dir; without it we must. munged replaces a stale socket itself.
  install -d -o munge -g munge -m 0755 /run/munge /var/lib/munge /var/log/munge
  runuser -u munge -- /usr/sbin/munged >/dev/null 2>&1 || die "munged failed to start; see /var/log/munge/munged.log"
fi
for _ in $(seq 10); do munge_ok && break; sleep 0.5; done
munge_ok || die "munged is not answering; see /var/log/munge/munged.log"

# Configuration: one node, one partition, no cgroup/accounting plugins (containers rarely allow cgroups).
cpus="$(nproc)"
mem_mb=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) * 95 / 100 / 1024 ))  # slurmd drains the node if it finds less
if ! ours; then
  die "$conf exists and was not written by this script; not touching it"
fi
new="$(cat <<EOF
$marker
ClusterName=ci
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
# Finished jobs stay visible to scontrol/squeue for 10 min (no sacct without accounting storage).
MinJobAge=600
# Start queued batch jobs/array tasks within ~1 s instead of the default 3 s batching.
SchedulerParameters=batch_sched_delay=0
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$logs/slurmctld.log
SlurmdLogFile=$logs/slurmd.log
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
)"
install -d -m 0755 /etc/slurm "$logs" /var/spool/slurmctld /var/spool/slurmd || die "could not create Slurm directories"

if [[ "$(cat "$conf" 2>/dev/null)" != "$new" ]]; then
  printf '%s\n' "$new" >"$conf" || die "could not write $conf"
  # Daemons started with an older config must not keep running with it.
  for pf in /run/slurmd.pid /run/slurmctld.pid; do
    if running "$pf"; then
      pid="$(cat "$pf")"; kill "$pid"
      for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
  done
fi

if ! running /run/slurmctld.pid; then
  slurmctld >>"$logs/slurmctld.out" 2>&1 || die "slurmctld failed to start; see $logs/slurmctld.log"
fi
if ! running /run/slurmd.pid; then
  slurmd -N "$node" >>"$logs/slurmd.out" 2>&1 || die "slurmd failed to start; see $logs/slurmd.log"
fi

# Wait for the node to register; a node left down/drained by an earlier run is resumed.
for _ in $(seq 60); do
  state="$(node_state)"
  running /run/slurmd.pid && is_up && { echo "slurm-up: single-node Slurm ready ($cpus CPUs)"; exit 0; }
  if [[ $state =~ ^(down|drained|draining)$ ]]; then
    scontrol update nodename="$node" state=resume >/dev/null 2>&1
  fi
  sleep 1
done
running /run/slurmctld.pid || die "slurmctld is not running; see $logs/slurmctld.log"
running /run/slurmd.pid || die "slurmd is not running; see $logs/slurmd.log"
die "slurmd did not register within 60 s (node state '${state:-none}'); see $logs/slurmd.log"
