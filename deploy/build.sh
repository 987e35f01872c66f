#!/bin/sh
# The one build command for release binaries: the Dockerfile runs this script
# and so does .ci/run, so the image and CI can never build differently.
#   sh deploy/build.sh OUTPUT      (OUTPUT defaults to ./agreementbot)
# The result is a static binary (no cgo, no dynamic loader) with the data
# files embedded; it runs on distroless/static or scratch.
set -eu
out=${1:-agreementbot}
case $out in
/*) ;;
*) out=$(pwd)/$out ;;
esac
cd "$(dirname "$0")/.."

CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$out" ./cmd/agreementbot
