#!/bin/sh
# The one build command for release binaries: the Dockerfile runs this script
# and so does .ci/run, so the image and CI can never build differently.
#   sh deploy/build.sh OUTPUT      (OUTPUT defaults to ./agreementbot)
# The result is a static binary (no cgo, no dynamic loader) with the data
# files embedded; it runs on distroless/static or scratch.
#
# The version `agreementbot about` and `version` show is stamped in: VERSION
# if set (the Dockerfile passes its VERSION build argument, as the image's
# build context has no .git), otherwise `git describe`. A release build never
# says "dev": with neither, the build stops.
set -eu
out=${1:-agreementbot}
case $out in
/*) ;;
*) out=$(pwd)/$out ;;
esac
cd "$(dirname "$0")/.."

version=${VERSION:-}
if [ -z "$version" ]; then
	version=$(git describe --tags --always --dirty 2>/dev/null) || version=
fi
if [ -z "$version" ]; then
	echo "deploy/build.sh: no version to stamp: build from a git checkout, or set VERSION (docker build --build-arg VERSION=1.2.3 .)" >&2
	exit 2
fi

CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=$version" -o "$out" ./cmd/agreementbot
