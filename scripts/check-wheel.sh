#!/usr/bin/env bash
# Builds docgen's wheel and uses it the way an office machine would: a fresh virtual environment, the wheel
# installed with the dependencies its metadata declares (pinned to requirements.lock), and the CLI run from an
# empty folder, away from this checkout. Catches what the tests cannot see from inside the checkout:
# an import missing from pyproject.toml's dependencies, built-in checklists/templates left out of the wheel,
# code reading files relative to the repository.
# Needs network to PyPI the first time; after that the locked wheels come from ~/.cache/docgen/wheelhouse-*
# and pip's cache (about 20 s). Usage: scripts/check-wheel.sh  (PYTHON=python3.12 to build/test with another)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/docgen-check-wheel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
log=$tmp/step.log

step() { echo "check-wheel [${SECONDS}s]: $*"; }
fail() {
  echo "check-wheel: FAILED: $*" >&2
  if [ -s "$log" ]; then
    echo "----- output -----" >&2
    tail -n 40 "$log" >&2
    echo "------------------" >&2
  fi
  exit 1
}
# run DESCRIPTION CMD...: runs CMD with its output in $log; shows the output and stops if it fails
run() {
  local what=$1
  shift
  "$@" >"$log" 2>&1 || fail "$what (exit $?): $*"
}

# Nothing from the caller's environment may point docgen back at the checkout.
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
for v in $(env | sed -n 's/^\(DOCGEN_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done

step "building the wheel"
run "building the wheel" "$python" -m pip wheel --disable-pip-version-check -q --no-deps -w "$tmp/dist" "$root"
wheels=("$tmp"/dist/docgen-*.whl)
[ -f "${wheels[0]}" ] || fail "no docgen wheel in $tmp/dist"
wheel=${wheels[0]}
step "built $(basename "$wheel")"
run "listing the wheel" "$python" -m zipfile -l "$wheel"
for f in docgen/builtin/checklists/ docgen/builtin/templates/ docgen/builtin/examples/gijinkoku-single.yaml; do
  grep -q "^${f}" "$log" || fail "the wheel has no ${f} (see force-include in pyproject.toml)"
done

# The locked wheels are kept in a wheelhouse named after the lock's hash, so later runs install offline
# (pip's own cache still needs the index for every package); a new lock replaces the old wheelhouse.
cache=${XDG_CACHE_HOME:-$HOME/.cache}/docgen
wheelhouse=$cache/wheelhouse-$(sha256sum "$root/requirements.lock" | cut -c1-16)
if [ ! -f "$wheelhouse/.complete" ]; then
  step "downloading the locked wheels into $wheelhouse (once per lock)"
  mkdir -p "$cache"
  partial=$(mktemp -d "$cache/partial.XXXXXX")
  run "downloading requirements.lock" "$python" -m pip wheel --disable-pip-version-check -q -r "$root/requirements.lock" -w "$partial"
  touch "$partial/.complete"
  find "$cache" -mindepth 1 -maxdepth 1 -name 'wheelhouse-*' ! -path "$wheelhouse" -exec rm -rf {} +
  mv -T "$partial" "$wheelhouse" 2>/dev/null || rm -rf "$partial"  # another run got there first
fi

step "installing it into a fresh virtual environment (dependencies pinned by requirements.lock)"
vpy=$tmp/venv/bin/python
run "creating the virtual environment" "$python" -m venv --without-pip "$tmp/venv"
if "$python" -m pip --python "$vpy" --version >/dev/null 2>&1; then
  vpip=("$python" -m pip --python "$vpy" --disable-pip-version-check)  # pip >= 22.3: no pip in the venv needed
else
  run "installing pip into the virtual environment" "$vpy" -m ensurepip -q
  vpip=("$vpy" -m pip --disable-pip-version-check)
fi
# -c: only what the wheel's metadata asks for gets installed (an undeclared import then fails below),
# at exactly the locked versions. --no-compile: a throwaway venv; byte-compiling all of it costs more than it saves.
run "installing the wheel" "${vpip[@]}" install -q --no-compile --no-index --find-links "$wheelhouse" -c "$root/requirements.lock" "$wheel"
run "pip check" "${vpip[@]}" check

work=$tmp/work
mkdir "$work"
cd "$work"
docgen=$tmp/venv/bin/docgen
[ -x "$docgen" ] || fail "the wheel installed no 'docgen' command ([project.scripts] in pyproject.toml)"

step "importing every docgen module from the installed wheel; every third-party import declared"
run "importing docgen's modules" "$vpy" - "$tmp/venv" <<'EOF'
import importlib, pkgutil, sys
from pathlib import Path

import docgen
import docgen.resources as r

venv = Path(sys.argv[1]).resolve()
where = Path(docgen.__file__).resolve()
if venv not in where.parents:
    sys.exit(f"docgen was imported from {where}, not from the installed wheel in {venv}")
for name, path in {"checklists": r.CHECKLISTS, "templates": r.TEMPLATES, "preview example": r.PREVIEW_PROFILE}.items():
    if venv not in Path(path).resolve().parents or not Path(path).exists():
        sys.exit(f"built-in {name} resolved to {path}, not inside the installed package")
failed = []
for mod in pkgutil.walk_packages(docgen.__path__, "docgen."):
    if mod.name.endswith(".__main__"):  # would run the CLI
        continue
    if mod.name == "docgen.web.jobs_worker":  # the remote packet worker: needs DOCGEN_QUEUE (Redis) to start
        continue
    try:
        importlib.import_module(mod.name)
    except Exception as exc:  # report them all, not only the first
        failed.append(f"{mod.name}: {type(exc).__name__}: {exc}")
if failed:
    sys.exit("modules that do not import (a dependency missing from pyproject.toml?):\n  " + "\n  ".join(failed))

# Imported only because another dependency happens to pull it in is not enough: every third-party
# module docgen imports must come from a distribution listed in its own dependencies.
import ast, re
from importlib.metadata import packages_distributions, requires

def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()

declared = {norm(re.match(r"[A-Za-z0-9._-]+", req).group()) for req in requires("docgen") or [] if "extra ==" not in req}
owners = packages_distributions()
undeclared = set()
for py in Path(docgen.__file__).parent.rglob("*.py"):
    for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
        for top in {n.split(".")[0] for n in names} - set(sys.stdlib_module_names) - {"docgen"}:
            dists = {norm(d) for d in owners.get(top, [])}
            if not dists & declared:
                undeclared.add(f"{top} (from {', '.join(sorted(dists)) or 'no installed distribution'}), imported in {py.relative_to(venv)}")
if undeclared:
    sys.exit("imports not declared in pyproject.toml's dependencies:\n  " + "\n  ".join(sorted(undeclared)))
EOF

step "docgen categories"
run "docgen categories" "$docgen" categories
grep -q gijinkoku "$log" || fail "docgen categories does not list gijinkoku"

step "docgen checklist gijinkoku --date 2026-11-30 --format json"
"$docgen" checklist gijinkoku --date 2026-11-30 --format json >"$tmp/checklist.json" 2>"$log" \
  || fail "docgen checklist (exit $?)"
run "reading the checklist JSON" "$vpy" -c '
import json, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
items = data.get("items")
if not items:
    sys.exit("the checklist has no items")
print(len(items), "items")
' "$tmp/checklist.json"
step "  $(cat "$log")"

step "docgen checklists check"
run "docgen checklists check" "$docgen" checklists check
grep -qE '(^|[^0-9])0 categories' "$log" && fail "docgen checklists check found no categories (built-in checklists missing from the wheel?)"
step "  $(cat "$log")"

step "docgen assess examples/gijinkoku-family.yaml"
run "docgen assess" "$docgen" assess "$root/examples/gijinkoku-family.yaml"

step "docgen packet examples/gijinkoku-family.yaml --no-pdf"
run "docgen packet" "$docgen" packet "$root/examples/gijinkoku-family.yaml" --no-pdf --out "$tmp/packet"
docx=("$tmp"/packet/docx/*.docx)
[ -f "${docx[0]}" ] || fail "docgen packet produced no Word files in its docx/ folder"
manifest="$tmp/packet/2026-102-nguyen-manifest.json"  # every file of a packet carries the case id
[ -s "$manifest" ] || fail "docgen packet wrote no $(basename "$manifest")"
run "reading the manifest" "$vpy" -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$manifest"
step "  ${#docx[@]} Word files and $(basename "$manifest")"

[ -z "$(ls -A "$work")" ] || fail "the commands wrote into the working folder: $(ls -A "$work" | tr '\n' ' ')"
step "OK"
