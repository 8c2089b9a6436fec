#!/usr/bin/env bash
# Every relative link in README.md and docs/*.md (Markdown `[text](target)`) must name a file or
# directory in the repository, and README.md must stay a front door of at most 150 lines.
# Links to a heading (`file.md#anchor`) are checked for the file only; http(s) links are not
# fetched. Prints each broken link as FILE:LINE: TARGET and exits 1 if there is any.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
readme_lines=$(wc -l <README.md)
if [ "$readme_lines" -gt 150 ]; then
    echo "README.md: $readme_lines lines; the front door stays at most 150 (move reference material to docs/)"
    status=1
fi
for file in README.md docs/*.md bench/RESULTS.md conformance/vector-format.md; do
    dir=$(dirname "$file")
    # FILE:LINE:TARGET for every inline link, skipping fenced code blocks.
    while IFS=: read -r line target; do
        case "$target" in
        http://* | https://* | mailto:* | '#'*) continue ;;
        esac
        path=${target%%#*}
        if [ ! -e "$dir/$path" ]; then
            echo "$file:$line: broken link to '$target' (no $dir/$path)"
            status=1
        fi
    done < <(awk '/^```/ { fenced = !fenced; next }
                  !fenced { while (match($0, /\]\([^) ]+\)/)) {
                                print NR ":" substr($0, RSTART + 2, RLENGTH - 3)
                                $0 = substr($0, RSTART + RLENGTH) } }' "$file")
done
[ "$status" -eq 0 ] && echo "ci/check-links.sh: README.md ($readme_lines lines) and docs: every link resolves"
exit "$status"
