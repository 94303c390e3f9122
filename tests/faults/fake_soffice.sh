#!/bin/bash
# A LibreOffice stand-in for the fault suite. FAKE_MODE: hang (ignores TERM/HUP/INT, with a child that does
# too), crash (exits 1, writes nothing), garbage (writes a file that is not a PDF), late (ignores TERM, writes a
# PDF after 3 s), steady (writes a copy of $FAKE_PDF for each document, one every $FAKE_DELAY s), hang-after
# (like steady for the first $FAKE_AFTER documents, then hangs as in hang), fill (fills the output folder's disk
# and fails, as a full disk does). FAKE_VERSION=hang makes `--version` hang the same way.
# Each process started appends its pid to $FAKE_PIDS, and the leader its process group to $FAKE_PGIDS if set.
echo $$ >> "$FAKE_PIDS"
if [ -n "$FAKE_PGIDS" ]; then cut -d' ' -f5 "/proc/$$/stat" >> "$FAKE_PGIDS"; fi
hang() {
  trap '' TERM HUP INT
  sleep 300 & echo $! >> "$FAKE_PIDS"
  sleep 300
}
if [ "$1" = "--version" ]; then
  if [ "$FAKE_VERSION" = "hang" ]; then hang; fi
  echo "LibreOffice 0.0 fake"; exit 0
fi
outdir=""; docs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) outdir="$2"; shift 2 ;;
    -*) shift ;;
    *.docx) docs+=("$1"); shift ;;
    *) shift ;;
  esac
done
steady() {  # the first $1 documents, one every $FAKE_DELAY s
  n=0
  for d in "${docs[@]}"; do
    [ "$n" -ge "$1" ] && break
    sleep "${FAKE_DELAY:-0}"
    cp "$FAKE_PDF" "$outdir/$(basename "$d" .docx).pdf"
    n=$((n + 1))
  done
}
case "$FAKE_MODE" in
  hang) hang ;;
  crash) echo "fake: crashed" >&2; exit 1 ;;
  garbage) for d in "${docs[@]}"; do b=$(basename "$d" .docx); echo "not a pdf" > "$outdir/$b.pdf"; done ;;
  late)
    trap '' TERM
    sleep 3
    for d in "${docs[@]}"; do b=$(basename "$d" .docx); printf '%%PDF-1.4 late' > "$outdir/$b.pdf"; done
    sleep 300 ;;
  steady) steady "${#docs[@]}" ;;
  hang-after) steady "$FAKE_AFTER"; hang ;;
  fill)
    dd if=/dev/zero of="$outdir/.fake-fill" bs=1M 2>/dev/null
    echo "Error: Please verify input parameters... (SfxBaseModel::impl_store failed: 0xc10(Error Area:Io Class:Write Code:16)" >&2
    exit 1 ;;
esac
