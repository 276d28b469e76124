#!/usr/bin/env bash
# Vectorize an image with curl, following the hosted API's documented flow with only the base URL changed:
# Basic auth with key and secret, POST generate, poll GET /jobs/{id} until success, GET the asset, then
# download the SVG from asset.url (a temporary signed URL: no auth).
#
#   VTRACER_API_KEY=... VTRACER_API_SECRET=... ./examples/curl.sh image.png [out.svg]
# Needs curl and base64; uses jq when installed, else node, to read JSON.
set -euo pipefail
BASE_URL="${VTRACER_BASE_URL:-http://127.0.0.1:3000/v1}"
IMAGE="${1:?usage: curl.sh IMAGE [OUT.svg]}"
OUT="${2:-output.svg}"
: "${VTRACER_API_KEY:?set VTRACER_API_KEY}" "${VTRACER_API_SECRET:?set VTRACER_API_SECRET}"

json() { # json FIELD.PATH[0] < document
  if command -v jq >/dev/null; then jq -r ".$1"; else node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split(/[.\[\]]/).filter(Boolean))v=v?.[k];console.log(v??"")})' "$1"; fi
}

case "${IMAGE,,}" in
  *.jpg|*.jpeg) MIME=image/jpeg ;; *.webp) MIME=image/webp ;; *.gif) MIME=image/gif ;;
  *.bmp) MIME=image/bmp ;; *.tif|*.tiff) MIME=image/tiff ;; *) MIME=image/png ;;
esac

# The body can be large: build it in a file, not on the command line.
BODY=$(mktemp)
trap 'rm -f "$BODY"' EXIT
{ printf '{"presetName":"poster","image":"data:%s;base64,' "$MIME"; base64 -w0 "$IMAGE"; printf '"}'; } > "$BODY"

JOB=$(curl -sS --fail-with-body -u "$VTRACER_API_KEY:$VTRACER_API_SECRET" \
  -H 'Content-Type: application/json' --data-binary @"$BODY" \
  "$BASE_URL/generate/custom/model_visioncortex-vtracer")
JOB_ID=$(json job.jobId <<<"$JOB")
echo "job $JOB_ID: $(json job.status <<<"$JOB")"

while :; do
  JOB=$(curl -sS --fail-with-body -u "$VTRACER_API_KEY:$VTRACER_API_SECRET" "$BASE_URL/jobs/$JOB_ID")
  STATUS=$(json job.status <<<"$JOB")
  echo "job $JOB_ID: $STATUS $(json job.progress <<<"$JOB")"
  case "$STATUS" in
    success) break ;;
    failure|canceled) echo "job $STATUS: $(json job.error <<<"$JOB")" >&2; exit 1 ;;
  esac
  sleep 0.5
done

ASSET_ID=$(json 'job.metadata.assetIds[0]' <<<"$JOB")
ASSET=$(curl -sS --fail-with-body -u "$VTRACER_API_KEY:$VTRACER_API_SECRET" "$BASE_URL/assets/$ASSET_ID")
curl -sS --fail -o "$OUT" "$(json asset.url <<<"$ASSET")"   # signed URL: no auth
echo "wrote $OUT"
