#!/usr/bin/env bash
# smets decode against tshark on the same file, timed side by side in one run.
#
# Builds a ~100k-frame capture by concatenating the public control4 capture
# 246 times (mergecap, as in ../shared/perf/tshark-zigbee.md), then times each
# command RUNS times (default 3) with output to /dev/null and prints the
# medians and frames per second.
#
#   bash examples/smets-cli/benches/vs-tshark.sh [VECTORS_DIR]
set -euo pipefail
cd "$(dirname "$0")/../../.."
vectors="${1:-${SMETS_VECTORS:-../shared/vectors}}"
src="$vectors/zigbee/captures/killerbee__control4-sample.pcap"
runs="${RUNS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet -p smets-cli
smets=target/release/smets
files=()
for _ in $(seq 246); do files+=("$src"); done
mergecap -a -w "$work/c4_100k.pcap" "${files[@]}"
frames=$(( 407 * 246 ))
key=26546b723b396a727b5d5271517d392f
uat="uat:zigbee_pc_keys:\"$key\",\"Normal\",\"c4\""

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_it() {
  local name="$1"; shift
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" > /dev/null
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  local m
  m=$(printf '%s\n' "${times[@]}" | median)
  printf '%-34s runs: %s  median %.3f s  %8.0f frames/s\n' "$name" "$(printf '%.3f ' "${times[@]}")" "$m" "$(echo "$frames / $m" | bc -l)"
  echo "$m"
}

echo "file: $frames frames ($(du -h "$work/c4_100k.pcap" | cut -f1)), $runs runs each"
s_nd=$(time_it "smets decode --format ndjson" "$smets" decode -q --format ndjson --key "$key" "$work/c4_100k.pcap" | tee /dev/stderr | tail -1)
s_js=$(time_it "smets decode --format json" "$smets" decode -q --format json --key "$key" "$work/c4_100k.pcap" | tee /dev/stderr | tail -1)
s_tx=$(time_it "smets decode --format text" "$smets" decode -q --format text --key "$key" "$work/c4_100k.pcap" | tee /dev/stderr | tail -1)
t_js=$(time_it "tshark -T json" tshark -r "$work/c4_100k.pcap" -o "$uat" -T json | tee /dev/stderr | tail -1)
t_v=$(time_it "tshark -V" tshark -r "$work/c4_100k.pcap" -o "$uat" -V | tee /dev/stderr | tail -1)
printf 'ndjson vs tshark -T json: %.1fx   text vs tshark -V: %.1fx\n' \
  "$(echo "$t_js / $s_nd" | bc -l)" "$(echo "$t_v / $s_tx" | bc -l)"
