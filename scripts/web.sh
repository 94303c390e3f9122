#!/usr/bin/env bash
# Quick start 3: the office in a browser (`docgen serve`, http://127.0.0.1:8765) over an example office whose cases
# are the examples. The first time it makes output/example-office/ (docgen.toml, one case folder per example)
# and asks for the password of an admin account named "admin".
# For your own office: `docgen users add NAME --role admin`, then `docgen serve`, in the folder of its docgen.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/docgen ] || ./scripts/setup.sh
docgen=$PWD/.venv/bin/docgen
office=output/example-office
if [ ! -f "$office/docgen.toml" ]; then
  echo "web.sh: making the example office in $office"
  mkdir -p "$office/cases"
  chmod 700 "$office"
  printf '[paths]\ncases = "cases"\noutput = "output"\n' >"$office/docgen.toml.new"
  quietly() {  # a docgen command in the office being made; its output only when it fails
    (cd "$office" && DOCGEN_SETTINGS=docgen.toml.new "$docgen" "$@") >"$office/.web-sh.log" 2>&1 \
      || { cat "$office/.web-sh.log" >&2; exit 1; }
  }
  for example in examples/*.yaml; do
    id=$(sed -n 's/^case_id: *//p' "$example")
    category=$(sed -n 's/^category: *//p' "$example")
    day=$(sed -n 's/^application_date: *//p' "$example")
    quietly case new "$id" --category "$category" --date "$day" --no-pdf
    cp "$example" "$office/cases/$id/$id-profile.yaml"
    chmod 600 "$office/cases/$id/$id-profile.yaml"
    quietly case sync "$id"
  done
  rm -f "$office/.web-sh.log"
  mv "$office/docgen.toml.new" "$office/docgen.toml"  # last: a run cut short starts again from the beginning
fi
cd "$office"
if ! "$docgen" users list 2>/dev/null | grep -q '^admin\b'; then
  echo "web.sh: an admin account \"admin\" for the example office; choose its password"
  "$docgen" users add admin --role admin
fi
exec "$docgen" serve "$@"
