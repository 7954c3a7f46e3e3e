#!/usr/bin/env bash
# The one test command (`make test` runs it after scripts/setup.sh). Runs every suite, even after a
# failure, counts the tests each one ran, and ends with `N passed, N failed`. A suite that runs no
# test counts as a failure: the browser runner, for one, exits 0 having run nothing when misconfigured.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/node-tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never NO_COLOR=1 WRANGLER_SEND_METRICS=false

logs=target/test-logs
mkdir -p "$logs"
passed=0
failed=0
summary=()
digest=() # the failures by name, printed again after the summary: CI shows only an output's tail

# record NAME PASSED FAILED: adds a suite's counts to the totals.
record() {
  local name=$1 p=$2 f=$3
  passed=$((passed + p))
  failed=$((failed + f))
  summary+=("$(printf '%-28s %5d passed, %d failed' "$name" "$p" "$f")")
}

# check NAME CMD…: a command that is one test (lint, format, build, staleness): passes when it exits 0.
check() {
  local name=$1; shift
  echo "== $name: $*"
  if "$@" >"$logs/$name.log" 2>&1; then
    record "$name" 1 0
  else
    tail -n 60 "$logs/$name.log"
    echo "!! $name failed (full log: $logs/$name.log)"
    digest+=("$name: $(tail -n 3 "$logs/$name.log" | tr '\n' ' ' | cut -c1-300)")
    record "$name" 0 1
  fi
}

# suite NAME PARSER CMD…: a test runner; PARSER reads its log and prints "PASSED FAILED".
suite() {
  local name=$1 parser=$2; shift 2
  echo "== $name: $*"
  "$@" >"$logs/$name.log" 2>&1
  local status=$?
  local counts p f
  counts=$("$parser" "$logs/$name.log")
  read -r p f <<<"$counts"
  if [ "$status" -ne 0 ] || [ "$p" -eq 0 ]; then
    tail -n 60 "$logs/$name.log"
    echo "!! $name: exit $status, $p passed, $f failed (full log: $logs/$name.log)"
    [ "$f" -eq 0 ] && f=1
    digest+=("$name: exit $status")
    while IFS= read -r line; do digest+=("  $line"); done < <(failed_lines "$logs/$name.log")
  fi
  record "$name" "$p" "$f"
}

# The lines that name a failure, with what failed, in every runner's format: node:test's "not ok" and
# the first line of its error, cargo's "FAILED" and "panicked at", our runners' "FAIL" and the line after.
failed_lines() {
  awk '/^ *not ok / || /^test .* FAILED$/ || /panicked at/ { print; next }
       /^ *error: / { e = $0; sub(/^ *error: /, "", e); if (e == "|-") { grab = 1 } else { print "    " e }; next }
       grab { sub(/^ */, ""); print "    " $0; grab = 0; next }
       /^FAIL / { print; after = 1; next }
       after { print "    " $0; after = 0 }' "$1" | cut -c1-300 | head -n 40
}

# Parsers: each prints "PASSED FAILED" summed over the runner's result lines.
cargo_counts() {
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
       END { print p + 0, f + 0 }' "$1"
}
node_test_counts() {
  awk '/^# pass / { p += $3 } /^# fail / { f += $3 } END { print p + 0, f + 0 }' "$1"
}
# The browser runner falls back to Node (and still passes) when it finds no driver: only a log that shows
# the WebDriver session counts as tests run in Chromium.
browser_counts() {
  if grep -q "webdriver" "$1"; then cargo_counts "$1"; else echo "0 0"; fi
}
# Our own runners (consumers, types) end with "<name>: N passed, N failed".
summary_counts() {
  awk '/^[a-z-]+: [0-9]+ passed, [0-9]+ failed$/ { p = $2; f = $4 } END { print p + 0, f + 0 }' "$1"
}

# The wasm suites run as the crate's users run theirs: `wasm-pack test`, with the wasm-bindgen-test-runner
# and ChromeDriver that scripts/setup.sh installed (--mode no-install: never a download). Without
# WASM_BINDGEN_USE_BROWSER the browser run silently runs nothing (../shared/TOOLCHAIN.md, trap 2), and
# browser_counts only counts a log that shows the WebDriver session.
wasm_test() {
  wasm-pack test --node --mode no-install -- --lib "$@"
}
browser_wasm_test() {
  WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --headless --chrome --chromedriver "$(command -v chromedriver)" \
    --mode no-install -- --lib "$@"
}

# The differential test of phone validation against libphonenumber (PyPI phonenumbers, same metadata).
phone_differential() {
  bash tools/phonegen/oracle/setup.sh &&
    cargo test -p sendexa-phone --lib -- --ignored agrees_with_libphonenumber
}

check fmt cargo fmt --check
check clippy cargo clippy --workspace --all-targets -- -D warnings
check clippy-wasm cargo clippy -p sendexa-whatsapp -p sendexa-phone --lib --tests --target wasm32-unknown-unknown -- -D warnings
# The messages build (sendexa-whatsapp/messages): no client, no webhooks.
check clippy-wasm-messages cargo clippy -p sendexa-whatsapp --lib --tests --target wasm32-unknown-unknown --no-default-features -- -D warnings
check modules node scripts/check-modules.mjs
check clippy-wasm-inflate cargo clippy -p sendexa-inflate --lib --target wasm32-unknown-unknown -- -D warnings
suite native-tests cargo_counts cargo test --workspace --all-targets
suite doc-tests cargo_counts cargo test --workspace --doc
check phone-tables-fresh cargo run -q -p phonegen --release -- --check
suite phone-differential cargo_counts phone_differential
suite fuzz summary_counts scripts/fuzz.sh 200000
suite wasm-node cargo_counts wasm_test
suite wasm-chromium browser_counts browser_wasm_test
suite sandbox node_test_counts node --test --test-timeout=300000 tests/sandbox/
check build-package scripts/build.sh
check size-budget node bench/check-size-budget.mjs
suite types summary_counts node tests/types/check-types.mjs
suite node-webhook node_test_counts node --test --test-timeout=120000 tests/node-webhook/
suite client summary_counts node tests/client/run.mjs
suite reliability node_test_counts node --expose-gc --test --test-timeout=300000 tests/reliability/
suite packaging node_test_counts node --test --test-timeout=120000 tests/packaging/
suite consumers summary_counts node tests/consumers/run.mjs
suite matrix summary_counts node tests/matrix/run.mjs
suite worker node_test_counts node --test --test-concurrency=1 --test-timeout=300000 tests/worker/

echo
echo "== summary"
printf '%s\n' "${summary[@]}"
if [ "${#digest[@]}" -gt 0 ]; then
  echo
  echo "== failures"
  printf '%s\n' "${digest[@]}"
fi
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
