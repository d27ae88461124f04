#!/usr/bin/env bash
# Times the release binary on generated corpora (see benches/README.md).
#   benches/bench.sh            all cases at 1x, 2x and 4x
#   QUICK=1 benches/bench.sh    1x only
# Needs python3 (to generate the corpus) and GNU time (/usr/bin/time) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN="$PWD/target/release/plangate"
OUT="$PWD/target/bench"
mkdir -p "$OUT"
scales="1 2 4"
[ "${QUICK:-}" = 1 ] && scales="1"
runs=${RUNS:-3}

# median wall seconds and max peak MiB over $runs runs of "$@"
measure() {
  local walls=() mems=()
  for _ in $(seq "$runs"); do
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" > /dev/null 2>&1 || true
      read -r wall kb < <(tail -n 1 "$OUT/time.txt")
    else
      local start end
      start=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; end=$(date +%s.%N)
      wall=$(echo "$end - $start" | bc); kb=0
    fi
    walls+=("$wall"); mems+=("$kb")
  done
  local median max_kb
  median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  max_kb=$(printf '%s\n' "${mems[@]}" | sort -n | tail -1)
  echo "$median $(( max_kb / 1024 ))"
}

printf '%-34s %8s %10s %10s\n' case scale "wall (s)" "peak (MiB)"
for scale in $scales; do
  n=$((10000 * scale)); dir="$OUT/foreach-$n"
  [ -d "$dir" ] || python3 benches/generate.py foreach "$n" "$dir"
  read -r wall mib < <(measure "$BIN" check "$dir" --format json)
  printf '%-34s %7sx %10s %10s\n' "a) for_each over $n repositories" "$scale" "$wall" "$mib"
done
for scale in $scales; do
  n=$((500 * scale)); dir="$OUT/monorepo-$n"
  [ -d "$dir" ] || python3 benches/generate.py monorepo "$n" "$dir"
  lines=$(find "$dir" -name '*.tf' -exec cat {} + | wc -l)
  read -r wall mib < <(measure "$BIN" check "$dir" --format json)
  printf '%-34s %7sx %10s %10s\n' "b) $n stacks, $lines lines" "$scale" "$wall" "$mib"
done
for scale in $scales; do
  n=$((10000 * scale)); file="$OUT/plan-$n.json"
  [ -f "$file" ] || python3 benches/generate.py plan "$n" "$file"
  mb=$(( $(stat -c %s "$file") / 1000000 ))
  read -r wall mib < <(measure "$BIN" check "$file" --format json)
  printf '%-34s %7sx %10s %10s\n' "c) plan JSON, $mb MB" "$scale" "$wall" "$mib"
done

if command -v checkov > /dev/null 2>&1; then
  echo
  echo "checkov $(checkov --version 2>/dev/null) on the same 1x inputs (one run each):"
  for target in "-d $OUT/foreach-10000" "-d $OUT/monorepo-500" "-f $OUT/plan-10000.json"; do
    # shellcheck disable=SC2086
    read -r cwall cmib < <(runs=1 measure checkov $target --framework terraform terraform_plan --quiet --compact)
    # shellcheck disable=SC2086
    read -r pwall _ < <(runs=1 measure "$BIN" check ${target#-? } --format json)
    printf '%-40s checkov %8ss %6s MiB   plangate %6ss   ratio %s\n' "${target#-? }" "$cwall" "$cmib" "$pwall" \
      "$(python3 -c "print(f'{$cwall / max($pwall, 0.001):.0f}x')")"
  done
else
  echo
  echo "checkov is not installed (pip install checkov); skipping the side-by-side comparison."
fi
