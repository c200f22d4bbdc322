#!/usr/bin/env bash
# smets decode on GBCS text input, one core against every core.
#
# Writes the 1,006 RTDS 4.5.0 messages COPIES times (default 20) as hex lines
# and a keys file of the RTDS test keys (the ACB as access_control_broker),
# then times `smets decode --format ndjson` with --jobs 1 and --jobs 2, RUNS
# times each (default 3), output to /dev/null, and prints the medians and
# messages per second. Every message is verified (MAC, signature, protected
# parts decrypted).
#
#   bash examples/smets-cli/benches/gbcs-jobs.sh [VECTORS_DIR]
set -euo pipefail
cd "$(dirname "$0")/../../.."
vectors="${1:-${SMETS_VECTORS:-../shared/vectors}}"
runs="${RUNS:-3}"
copies="${COPIES:-20}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet -p smets-cli
smets=target/release/smets

python3 - "$vectors/gbcs" "$work" "$copies" <<'PY'
import json, sys
src, out, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = [json.loads(l)["hex"] for l in open(f"{src}/rtds-4.5.0.jsonl") if l.strip()]
with open(f"{out}/rtds.txt", "w") as f:
    for _ in range(copies):
        f.write("\n".join(lines) + "\n")
keys = json.load(open(f"{src}/keys.json"))["keys"]
with open(f"{out}/keys.toml", "w") as f:
    for k in keys:
        if not k["id"].startswith("rtds:"):
            continue
        f.write("[[gbcs.key]]\n")
        f.write(f'entity = "{k["eui"].upper()}"\nusage = "{k["usage"]}"\n')
        if k.get("variant") == "pp":
            f.write("prepayment = true\n")
        if k["eui"] == "90b3d51f30000002" and k["usage"] == "KA":
            f.write('role = "access_control_broker"\n')
        if k.get("private_key_hex"):
            f.write(f'private_key_hex = "{k["private_key_hex"]}"\n\n')
        else:
            f.write(f'public_key_hex = "{k["public_key_uncompressed_hex"]}"\n\n')
print(len(lines) * copies)
PY
messages=$(( 1006 * copies ))

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
  printf '%-26s runs: %s  median %.3f s  %8.0f messages/s\n' "$name" "$(printf '%.3f ' "${times[@]}")" "$m" "$(echo "$messages / $m" | bc -l)"
}

echo "$messages messages, $(nproc) cores"
# Every record must decode: a failure would show as exit status 1.
"$smets" decode --quiet --format ndjson --keys "$work/keys.toml" "$work/rtds.txt" > "$work/out.ndjson"
grep -c '"mac":"valid"' "$work/out.ndjson" | sed 's/^/valid MACs: /'
time_it "smets decode --jobs 1" "$smets" decode --quiet --format ndjson --jobs 1 --keys "$work/keys.toml" "$work/rtds.txt"
time_it "smets decode --jobs 2" "$smets" decode --quiet --format ndjson --jobs 2 --keys "$work/keys.toml" "$work/rtds.txt"
