#!/usr/bin/env bash
# Stops the cluster slurm/local/up.sh DIR started: slurmd, slurmctld, then munged, each by the pid
# in its pid file under DIR (never by name), waiting up to 10 s for each to exit. DIR is kept.
#
#   slurm/local/down.sh DIR
set -euo pipefail
DIR=${1:?usage: slurm/local/down.sh DIR}
for daemon in slurmd slurmctld munged; do
  pid_file=$DIR/$daemon.pid
  [[ -s $pid_file ]] || continue
  pid=$(cat "$pid_file")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$pid_file"
done
