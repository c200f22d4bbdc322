#!/usr/bin/env bash
# Builds every fuzz target, writes seed corpora from the vectors, replays each
# corpus (a regression test of every input ever kept) and fuzzes each target
# for FUZZ_SECONDS (default 20). Stable toolchain: no sanitizer (-s none).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-20}"
# The seed writer is a plain binary of this crate: building every bin with the
# fuzzing flags would try to link it against libFuzzer, so build per target.
targets="$(cargo fuzz list | grep -vx seeds)"
for t in $targets; do
  cargo fuzz build -O -s none "$t"
done
cargo run --release --quiet --bin seeds -- seeds
for t in $targets; do
  mkdir -p "corpus/$t"
  seed_dir="seeds/$t"
  [ -d "$seed_dir" ] || seed_dir=""
  echo "--- $t: replay"
  cargo fuzz run -O -s none "$t" "corpus/$t" $seed_dir -- -runs=0 >/dev/null 2>&1 \
    || { echo "replaying the corpus of $t failed"; cargo fuzz run -O -s none "$t" "corpus/$t" $seed_dir -- -runs=0 2>&1 | tail -30; exit 1; }
  echo "--- $t: fuzz ${seconds}s"
  log="$(mktemp)"
  if ! cargo fuzz run -O -s none "$t" "corpus/$t" $seed_dir -- \
      -max_total_time="$seconds" -max_len=2048 -timeout=5 -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz target $t failed"
    exit 1
  fi
  grep -E '^(stat::number_of_executed_units|Done)' "$log" || true
  rm -f "$log"
done
