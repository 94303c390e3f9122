#!/bin/bash
# A LibreOffice stand-in for the fault suite. FAKE_MODE: hang (ignores TERM/HUP/INT, with a child that does
# too), crash (exits 1, writes nothing), garbage (writes a file that is not a PDF), late (ignores TERM, writes a
# PDF after 3 s). Each process started appends its pid to $FAKE_PIDS.
echo $$ >> "$FAKE_PIDS"
if [ "$1" = "--version" ]; then echo "LibreOffice 0.0 fake"; exit 0; fi
outdir=""; docs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) outdir="$2"; shift 2 ;;
    -*) shift ;;
    *.docx) docs+=("$1"); shift ;;
    *) shift ;;
  esac
done
case "$FAKE_MODE" in
  hang)
    trap '' TERM HUP INT
    sleep 300 & echo $! >> "$FAKE_PIDS"
    sleep 300 ;;
  crash) echo "fake: crashed" >&2; exit 1 ;;
  garbage) for d in "${docs[@]}"; do b=$(basename "$d" .docx); echo "not a pdf" > "$outdir/$b.pdf"; done ;;
  late)
    trap '' TERM
    sleep 3
    for d in "${docs[@]}"; do b=$(basename "$d" .docx); printf '%%PDF-1.4 late' > "$outdir/$b.pdf"; done
    sleep 300 ;;
esac
