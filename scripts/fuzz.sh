#!/usr/bin/env bash
# Fuzzes the core with cargo-fuzz (libFuzzer): every target in fuzz/fuzz_targets, RUNS executions
# each (default 10,000,000: `make fuzz`; `make test` passes a smaller number). Starts from the
# committed corpus in fuzz/corpus/<target> without changing it, and prints one line per target
# `fuzz <target>: N executions, 0 crashes` and a closing `fuzz: N passed, N failed`.
# Usage: scripts/fuzz.sh [RUNS [TARGET...]]   (no TARGET: every target)
# cargo-fuzz needs nightly-only flags; RUSTC_BOOTSTRAP lets the machine's stable toolchain take them.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1
runs=${1:-10000000}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in fuzz/fuzz_targets/*.rs; do targets+=("$(basename "$source" .rs)"); done
fi

if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "0.13.2" ]; then
  echo "fuzz: installing cargo-fuzz 0.13.2 (once)"
  cargo install cargo-fuzz --version 0.13.2 --locked || exit 1
fi
cargo fuzz build --fuzz-dir fuzz -O || exit 1

passed=0
failed=0
for target in "${targets[@]}"; do
  if [ ! -f "fuzz/fuzz_targets/$target.rs" ]; then
    echo "fuzz $target: no such target in fuzz/fuzz_targets"
    failed=$((failed + 1))
    continue
  fi
  scratch=$(mktemp -d)
  mkdir -p "fuzz/corpus/$target"
  log="target/fuzz-$target.log"
  # The scratch directory takes new inputs; the committed corpus is only read.
  if cargo fuzz run --fuzz-dir fuzz -O "$target" "$scratch" "fuzz/corpus/$target" -- \
    -runs="$runs" -max_len=4096 -print_final_stats=1 >"$log" 2>&1; then
    executions=$(awk '/stat::number_of_executed_units/ { print $NF }' "$log")
    echo "fuzz $target: ${executions:-?} executions, 0 crashes"
    passed=$((passed + 1))
  else
    echo "fuzz $target: CRASH (artifact in fuzz/artifacts/$target; log $log)"
    grep -E "panicked|ERROR|SUMMARY" "$log" | head -5
    failed=$((failed + 1))
  fi
  rm -rf "$scratch"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
