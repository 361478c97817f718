# syntax=docker/dockerfile:1
# Grafana with the Kaizen Ops suite installed. The build stages call scripts/build.sh,
# the same script CI runs, so no Node or Go is needed on the host.
ARG GRAFANA_VERSION=12.4.0

FROM node:20-bookworm AS frontend
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund || npm install --no-save --no-audit --no-fund
COPY . .
RUN bash scripts/build.sh frontend

FROM golang:1.26-bookworm AS backend
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN bash scripts/build.sh backend

FROM grafana/grafana-oss:${GRAFANA_VERSION}
ARG TARGETARCH=amd64
USER root
COPY --from=frontend /src/dist /var/lib/grafana/plugins/kaizenops-suite-app
COPY --from=backend /src/dist/datasource/gpx_kaizenops_linux_amd64 /src/dist/datasource/gpx_kaizenops_linux_arm64 /var/lib/grafana/plugins/kaizenops-suite-app/datasource/
COPY --from=backend /src/bin/kaizen_linux_${TARGETARCH} /usr/local/bin/kaizen
COPY provisioning /etc/grafana/provisioning
COPY dashboards /var/lib/grafana/dashboards/kaizenops
COPY docker/entrypoint.sh /kaizen-entrypoint.sh
RUN chmod 0755 /kaizen-entrypoint.sh /usr/local/bin/kaizen \
 && mkdir -p /var/lib/grafana/kaizenops \
 && chown -R 472:0 /var/lib/grafana/plugins /var/lib/grafana/kaizenops /etc/grafana/provisioning/datasources
USER 472
# Our plugins are unsigned; allow exactly their ids, nothing else.
ENV GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=kaizenops-suite-app,kaizenops-metrics-datasource,kaizenops-controlchart-panel,kaizenops-slabreach-panel,kaizenops-valuestream-panel
ENTRYPOINT ["/kaizen-entrypoint.sh"]
