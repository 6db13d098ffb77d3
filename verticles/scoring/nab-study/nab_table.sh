#!/usr/bin/env bash
# Usage: nab_table.sh OUTPUT_DIR VARIANT...  prints standard / reward_low_FP / reward_low_FN per variant
set -euo pipefail
out=$1; shift
for v in "$@"; do printf "%-28s " $v; python3 /work/shared/tools/nab_score.py $out/$v --labels /work/shared/data/nab/labels.json 2>&1 | awk '/^  (standard|reward)/{printf "%s ", $6} END{print ""}'; done
