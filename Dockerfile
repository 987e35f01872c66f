# syntax=docker/dockerfile:1
#
# agreementbot container image: a static Go binary (the data files are
# embedded in it) on distroless/static, running as a non-root user.
#
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) -t agreementbot .
#   docker run --rm -p 8080:8080 --env-file .env agreementbot        # HTTP mode: serve
#   docker run --rm --env-file .env agreementbot discord-commands --register
#   docker run --rm agreementbot check                                # validate the embedded data
#
# The build command lives in deploy/build.sh, which .ci/run also runs, so the
# image and CI cannot build differently.
#
# Health: distroless has no shell or curl, so there is no HEALTHCHECK here.
# Probe the HTTP endpoints from outside instead (deploy/k8s/deployment.yaml
# does): GET /healthz is 200 while the process is alive; GET /readyz is 200
# once the data is loaded and every configured chat connection is up, and 503
# while starting, draining after SIGTERM, or while a connection is down.

ARG GO_IMAGE=golang:1.26-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

FROM ${GO_IMAGE} AS build
WORKDIR /src
# Modules first, so a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The build context has no .git, so the version comes in as a build
# argument; deploy/build.sh stops if it is missing.
ARG VERSION
RUN sh deploy/build.sh /out/agreementbot

FROM ${RUNTIME_IMAGE}
# distroless/static carries CA certificates (for the Slack and Discord APIs)
# and /etc/passwd with the nonroot user, 65532. The numeric USER lets
# Kubernetes verify runAsNonRoot.
COPY --from=build /out/agreementbot /agreementbot
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/agreementbot"]
CMD ["serve"]
