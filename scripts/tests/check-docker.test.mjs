// npm run test:scripts: the static Docker check passes a fixture repository laid out like ours
// and fails, naming the file, line and fix, on each way the image or compose file goes wrong.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { checkDocker } from '../check-docker.mjs';
import { copyOperands, dockerignore, envPairs, parseDockerfile, stages } from '../lib/dockerfile.mjs';
import { tempDir } from './fixtures.mjs';

const SCRIPT = fileURLToPath(new URL('../check-docker.mjs', import.meta.url));
const IDS = 'kaizenops-suite-app,kaizenops-metrics-datasource,kaizenops-chart-panel';

const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG GRAFANA_VERSION=12.4.0

FROM node:20-bookworm AS frontend
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN bash scripts/build.sh frontend

FROM golang:1.26-bookworm AS backend
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN bash scripts/build.sh backend

FROM grafana/grafana-oss:\${GRAFANA_VERSION}
ARG TARGETARCH=amd64
USER root
COPY --from=frontend /src/dist /var/lib/grafana/plugins/kaizenops-suite-app
COPY --from=backend /src/dist/datasource/gpx_kaizenops_linux_amd64 \\
     /src/dist/datasource/gpx_kaizenops_linux_arm64 /var/lib/grafana/plugins/kaizenops-suite-app/datasource/
COPY --from=backend /src/bin/kaizen_linux_\${TARGETARCH} /usr/local/bin/kaizen
COPY provisioning /etc/grafana/provisioning
COPY dashboards /var/lib/grafana/dashboards/kaizenops
COPY docker/entrypoint.sh /kaizen-entrypoint.sh
USER 472
ENV GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=${IDS}
ENTRYPOINT ["/kaizen-entrypoint.sh"]
`;

const COMPOSE = `services:
  grafana:
    build:
      context: .
      dockerfile: Dockerfile
      args:
        GRAFANA_VERSION: \${GRAFANA_VERSION:-12.4.0}
    ports:
      - "3000:3000"
    environment:
      GF_AUTH_ANONYMOUS_ENABLED: \${GF_AUTH_ANONYMOUS_ENABLED:-false}
      KAIZEN_INGEST_TOKEN: \${KAIZEN_INGEST_TOKEN:-change-me}
    volumes:
      - grafana-data:/var/lib/grafana
      - ./dashboards:/var/lib/grafana/dashboards/extra:ro

volumes:
  grafana-data:
`;

const FILES = {
  Dockerfile: DOCKERFILE,
  'docker-compose.yaml': COMPOSE,
  '.dockerignore': '.git\nnode_modules\ndist\nbin\nartifacts\n*.db\n',
  'package.json': '{}',
  'package-lock.json': '{}',
  'go.mod': 'module x\n',
  'go.sum': '',
  'scripts/build.sh': '#!/usr/bin/env bash\n',
  'docker/entrypoint.sh': '#!/bin/sh\n',
  'dashboards/overview.json': '{}',
  'provisioning/datasources/kaizenops.yaml':
    'apiVersion: 1\ndatasources:\n  - name: Kaizen Ops\n    type: kaizenops-metrics-datasource\n    secureJsonData:\n      ingestToken: ${KAIZEN_INGEST_TOKEN}\n',
  'provisioning/plugins/apps.yaml': 'apiVersion: 1\napps:\n  - type: kaizenops-suite-app\n    org_id: 1\n',
  'provisioning/dashboards/kaizenops.yaml':
    'apiVersion: 1\nproviders:\n  - name: Kaizen Ops\n    type: file\n    options:\n      path: /var/lib/grafana/dashboards/kaizenops\n',
  'src/plugin.json': JSON.stringify({ id: 'kaizenops-suite-app', type: 'app', name: 'Kaizen Ops' }),
  'src/datasource/plugin.json': JSON.stringify({
    id: 'kaizenops-metrics-datasource',
    type: 'datasource',
    name: 'Kaizen Ops metrics',
    backend: true,
    executable: 'gpx_kaizenops',
  }),
  'src/panels/chart/plugin.json': JSON.stringify({ id: 'kaizenops-chart-panel', type: 'panel', name: 'Control chart' }),
};

let tmp;
before(() => {
  tmp = tempDir('kaizen-docker-');
});
after(() => tmp.cleanup());

let n = 0;
// A fixture repository; edits replace (string) or remove (null) files.
function repo(edits = {}) {
  const dir = path.join(tmp.dir, `r${++n}`);
  for (const [f, text] of Object.entries({ ...FILES, ...edits })) {
    if (text === null) {
      continue;
    }
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

function check(edits) {
  const { problems } = checkDocker(repo(edits));
  return {
    errors: problems.filter((p) => p.severity === 'error'),
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}

function assertErrors(result, expected) {
  assert.deepEqual(
    result.errors.map((e) => `${e.rule}: ${e.message}`),
    expected.map(String),
    'errors'
  );
}

function assertOnlyError(result, rule, message) {
  assert.equal(result.errors.length, 1, result.errors.map((e) => e.message).join('\n'));
  assert.equal(result.errors[0].rule, rule);
  assert.match(result.errors[0].message, message);
}

describe('a repository laid out like ours', () => {
  test('passes with no errors and no warnings', () => {
    const r = check();
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
  });

  test('the CLI says which YAML parser it used and exits 0', () => {
    const out = spawnSync(process.execPath, [SCRIPT, '--repo', repo()], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stdout);
    assert.match(out.stdout, /\(YAML via js-yaml\)\n {2}0 errors, 0 warnings/);
  });
});

const hasPyYaml = spawnSync('python3', ['-c', 'import yaml']).status === 0;

test('without js-yaml, python3 yaml parses the same files', { skip: !hasPyYaml && 'no python3 yaml' }, () => {
  const env = { ...process.env, KAIZEN_YAML_PARSER: 'python3' };
  const ok = spawnSync(process.execPath, [SCRIPT, '--repo', repo()], { encoding: 'utf8', env });
  assert.equal(ok.status, 0, ok.stdout);
  assert.match(ok.stdout, /\(YAML via python3 yaml\)\n {2}0 errors, 0 warnings/);
  const bad = spawnSync(process.execPath, [SCRIPT, '--repo', repo({ 'docker-compose.yaml': 'services: [' })], {
    encoding: 'utf8',
    env,
  });
  assert.equal(bad.status, 1);
  assert.match(
    bad.stdout,
    /error {3}\[compose\] docker-compose\.yaml: not valid YAML \(line 1, column 12: expected the node content/
  );
});

describe('compose', () => {
  test('a compose file that does not parse', () => {
    const r = check({ 'docker-compose.yaml': 'services:\n  grafana:\n    build: .\n   image: x\n' });
    assertOnlyError(r, 'compose', /docker-compose\.yaml: not valid YAML \(line 4, column 4: /);
    const out = spawnSync(process.execPath, [SCRIPT, '--repo', repo({ 'docker-compose.yaml': 'services: [' })], {
      encoding: 'utf8',
    });
    assert.equal(out.status, 1);
  });

  test('a build context or Dockerfile that does not exist', () => {
    assertOnlyError(
      check({ 'docker-compose.yaml': COMPOSE.replace('context: .', 'context: ./image') }),
      'compose',
      /service grafana: build context image does not exist/
    );
    assertOnlyError(check({ Dockerfile: null }), 'compose', /service grafana: dockerfile Dockerfile does not exist/);
  });

  test('a bind mount of a path not in the repository, an undeclared named volume', () => {
    const r = check({
      'docker-compose.yaml': COMPOSE.replace('./dashboards:', './missing:').replace('- grafana-data:', '- other-data:'),
    });
    assertErrors(r, [
      'compose: docker-compose.yaml: service grafana: volume other-data is not declared under the top-level volumes',
      'compose: docker-compose.yaml: service grafana: mounts missing, which does not exist in the repository',
    ]);
  });

  test('anonymous access on by default', () => {
    assertOnlyError(
      check({ 'docker-compose.yaml': COMPOSE.replace('ANONYMOUS_ENABLED:-false', 'ANONYMOUS_ENABLED:-true') }),
      'anonymous-auth',
      /service grafana: GF_AUTH_ANONYMOUS_ENABLED defaults to true; anonymous access must be off/
    );
    assertOnlyError(
      check({ Dockerfile: DOCKERFILE.replace('USER 472', 'USER 472\nENV GF_AUTH_ANONYMOUS_ENABLED=true') }),
      'anonymous-auth',
      /final stage 2 .*: ENV GF_AUTH_ANONYMOUS_ENABLED=true turns anonymous access on/
    );
  });
});

describe('Dockerfile', () => {
  test('a COPY source that does not exist', () => {
    assertOnlyError(
      check({ 'docker/entrypoint.sh': null }),
      'dockerfile',
      /^Dockerfile:27: COPY docker\/entrypoint\.sh: no such file in the build context/
    );
  });

  test('a COPY source that .dockerignore leaves out', () => {
    assertOnlyError(
      check({ '.dockerignore': `${FILES['.dockerignore']}docker\n` }),
      'dockerignore',
      /^Dockerfile:27: COPY docker\/entrypoint\.sh, which \.dockerignore leaves out of the build context/
    );
  });

  test('COPY . without dist, node_modules and bin in .dockerignore', () => {
    const r = check({ '.dockerignore': 'artifacts\n.git\n' });
    assert.equal(r.errors.length, 6); // three folders, two COPY . instructions
    assert.match(r.errors[0].message, /^Dockerfile:8: COPY \. copies node_modules\/ \(add it to \.dockerignore\)/);
    assert.match(
      r.errors[1].message,
      /^Dockerfile:8: COPY \. copies dist\/ .*a host build in dist\/ could end up in the image/
    );
  });

  test('a stage that builds itself instead of calling scripts/build.sh', () => {
    const r = check({ Dockerfile: DOCKERFILE.replace('RUN bash scripts/build.sh frontend', 'RUN npm run build') });
    assertErrors(r, [
      'build-script: Dockerfile:9: RUN builds the frontend itself; call bash scripts/build.sh frontend|backend so the image is built the way CI builds it',
      'build-script: Dockerfile: no stage runs scripts/build.sh frontend; the image must be built by the script CI runs',
    ]);
    assertOnlyError(
      check({
        Dockerfile: DOCKERFILE.replace(
          'RUN bash scripts/build.sh backend',
          'RUN bash scripts/build.sh backend && go build -o /x ./cmd/kaizen'
        ),
      }),
      'build-script',
      /^Dockerfile:16: RUN builds the backend itself/
    );
  });

  test('the unsigned allowance must list exactly our plugin ids', () => {
    const missing = check({ Dockerfile: DOCKERFILE.replace(',kaizenops-chart-panel', '') });
    assertOnlyError(
      missing,
      'unsigned-plugins',
      /GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS leaves out kaizenops-chart-panel: Grafana would refuse to load it unsigned/
    );
    const extra = check({ Dockerfile: DOCKERFILE.replace(IDS, `${IDS},kaizenops-valuestream-panel`) });
    assertOnlyError(
      extra,
      'unsigned-plugins',
      /also allows kaizenops-valuestream-panel, which is not one of our plugins/
    );
    const none = check({ Dockerfile: DOCKERFILE.replace(/^ENV GF_PLUGINS.*$/m, '') });
    assertOnlyError(
      none,
      'unsigned-plugins',
      /final stage 2 \(FROM grafana\/grafana-oss:\$\{GRAFANA_VERSION\}\): sets no GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS/
    );
    const plus = check({
      'src/panels/map/plugin.json': JSON.stringify({ id: 'kaizenops-map-panel', type: 'panel', name: 'Map' }),
    });
    assertOnlyError(plus, 'unsigned-plugins', /leaves out kaizenops-map-panel/);
  });

  test('copies an executable the data source does not declare', () => {
    assertOnlyError(
      check({
        Dockerfile: DOCKERFILE.replace(
          '/src/dist/datasource/gpx_kaizenops_linux_arm64',
          '/src/dist/datasource/gpx_metrics_linux_arm64'
        ),
      }),
      'dockerfile',
      /^Dockerfile:22: copies gpx_metrics_linux_arm64, but the data source's executable is gpx_kaizenops_linux_<arch>/
    );
  });

  test('COPY --from a stage that does not exist', () => {
    assertOnlyError(
      check({ Dockerfile: DOCKERFILE.replace('--from=frontend', '--from=web') }),
      'dockerfile',
      /^Dockerfile:21: COPY --from=web: no earlier stage is named web/
    );
  });
});

describe('provisioning', () => {
  test('a provisioning file that does not parse', () => {
    assertOnlyError(
      check({ 'provisioning/plugins/apps.yaml': 'apiVersion: 1\napps:\n  - type: [kaizenops-suite-app\n' }),
      'provisioning',
      /provisioning\/plugins\/apps\.yaml: not valid YAML/
    );
  });

  test('a data source of another type, and none of ours', () => {
    const r = check({
      'provisioning/datasources/kaizenops.yaml': FILES['provisioning/datasources/kaizenops.yaml'].replace(
        'kaizenops-metrics-datasource',
        'kaizenops-metric-datasource'
      ),
    });
    assertErrors(r, [
      'provisioning: provisioning/datasources/kaizenops.yaml: data source "Kaizen Ops" has type kaizenops-metric-datasource, which is not our data source (kaizenops-metrics-datasource)',
      'provisioning: no provisioning file provisions a data source of type kaizenops-metrics-datasource',
    ]);
  });

  test('a dashboard provider reading a folder the image leaves empty', () => {
    assertOnlyError(
      check({
        'provisioning/dashboards/kaizenops.yaml': FILES['provisioning/dashboards/kaizenops.yaml'].replace(
          'dashboards/kaizenops',
          'dashboards/other'
        ),
      }),
      'provisioning',
      /dashboard provider "Kaizen Ops" reads \/var\/lib\/grafana\/dashboards\/other, but the image puts nothing there/
    );
  });

  describe('compose profiles', () => {
    const OPTIONAL = 'provisioning/optional/datasources/kaizenops-postgres.yaml';
    const optionalFile =
      'apiVersion: 1\ndatasources:\n  - name: Kaizen Ops (PostgreSQL)\n    type: kaizenops-metrics-datasource\n';
    const withProfile = COMPOSE.replace(
      '\nvolumes:',
      '\n  postgres:\n    profiles: ["postgres"]\n    image: postgres:17-alpine\n\nvolumes:'
    );
    const copying = '#!/bin/sh\ncp "$optional/kaizenops-postgres.yaml" "$datasources/"\n';

    test('an optional data source with its profile service and the entrypoint copying it passes', () => {
      const r = check({ [OPTIONAL]: optionalFile, 'docker-compose.yaml': withProfile, 'docker/entrypoint.sh': copying });
      assertErrors(r, []);
    });

    test('an optional data source whose profile no service runs, and that nothing copies in', () => {
      const r = check({ [OPTIONAL]: optionalFile });
      assertErrors(r, [
        `profiles: ${OPTIONAL}: no service in docker-compose.yaml runs in the profile postgres`,
        `profiles: ${OPTIONAL}: docker/entrypoint.sh never copies kaizenops-postgres.yaml into provisioning/datasources`,
      ]);
    });

    test('an optional data source of another type is still checked', () => {
      const r = check({
        [OPTIONAL]: optionalFile.replace('kaizenops-metrics-datasource', 'kaizenops-metric-datasource'),
        'docker-compose.yaml': withProfile,
        'docker/entrypoint.sh': copying,
      });
      assertOnlyError(r, 'provisioning', /has type kaizenops-metric-datasource, which is not our data source/);
    });
  });

  test('warnings: an env variable nobody sets, the app not enabled', () => {
    const r = check({
      'docker-compose.yaml': COMPOSE.replace(/\n {6}KAIZEN_INGEST_TOKEN.*/, ''),
      'provisioning/plugins/apps.yaml': null,
    });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.warnings.map((w) => w.message),
      [
        'provisioning/datasources/kaizenops.yaml: uses $KAIZEN_INGEST_TOKEN, which neither the compose file nor the Dockerfile sets; Grafana would put an empty string there',
        'no provisioning file enables the app kaizenops-suite-app; its pages stay off until an admin enables it',
      ]
    );
  });
});

describe('Dockerfile and .dockerignore parsing', () => {
  test('continuation lines, comments inside them, stages and operands', () => {
    const ins = parseDockerfile(
      'FROM a AS one\n# c\nRUN x \\\n  # inside\n  && y\nCOPY --from=one --chmod=755 ["/a b", "/c", "/d/"]\nENV A=1 B="two words"\nENV C legacy value\n'
    );
    assert.deepEqual(
      ins.map((i) => [i.line, i.cmd, i.args]),
      [
        [1, 'FROM', 'a AS one'],
        [3, 'RUN', 'x    && y'],
        [6, 'COPY', '--from=one --chmod=755 ["/a b", "/c", "/d/"]'],
        [7, 'ENV', 'A=1 B="two words"'],
        [8, 'ENV', 'C legacy value'],
      ]
    );
    assert.deepEqual(copyOperands(ins[2].args), {
      flags: { from: 'one', chmod: '755' },
      sources: ['/a b', '/c'],
      dest: '/d/',
    });
    assert.deepEqual(envPairs(ins[3].args), [
      ['A', '1'],
      ['B', 'two words'],
    ]);
    assert.deepEqual(envPairs(ins[4].args), [['C', 'legacy value']]);
    assert.equal(stages(ins).stages[0].name, 'one');
  });

  test('.dockerignore: parents exclude children, ** spans folders, ! re-includes, last match wins', () => {
    const ig = dockerignore('# comment\n/dist\n**/*.db\nharness/dist\n!keep.db\nnode_modules\n');
    assert.equal(ig.excluded('dist'), true);
    assert.equal(ig.excluded('dist/module.js'), true);
    assert.equal(ig.excluded('src/dist'), false);
    assert.equal(ig.excluded('a/b/store.db'), true);
    assert.equal(ig.excluded('store.db'), true);
    assert.equal(ig.excluded('keep.db'), false);
    assert.equal(ig.excluded('harness/dist/page.js'), true);
    assert.equal(ig.excluded('harness/page'), false);
    assert.equal(ig.excluded('node_modules/x/y.js'), true);
    assert.equal(ig.excluded('docker/entrypoint.sh'), false);
  });
});
