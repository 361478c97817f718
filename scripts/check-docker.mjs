#!/usr/bin/env node
// npm run check:docker [-- --repo DIR] [--compose docker-compose.yaml] [--strict]
//
// A static check of the shipped experience, without a Docker daemon: the compose file parses;
// every service's build context and Dockerfile exist; every host path compose mounts and every
// COPY/ADD source in the Dockerfile exists in the repository and is not left out by
// .dockerignore; the build stages build with scripts/build.sh frontend|backend (the script CI
// runs) and nothing else; the final stage allows exactly our plugin ids (src/**/plugin.json) as
// unsigned and installs the executable the data source declares; anonymous access is off by
// default; the provisioning files the image gets parse and name our data source and app.
// Prints every problem; exits 1 on an error (with --strict also on a warning), 2 on bad usage.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { copyOperands, dockerignore, envPairs, parseDockerfile, stages, substitute } from './lib/dockerfile.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UNSIGNED_ENV = 'GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS';
const ANON_ENV = 'GF_AUTH_ANONYMOUS_ENABLED';
const BUILD_SH = /(^|[\s;&|/])scripts\/build\.sh\s+(frontend|backend|all)\b/g;
// Build commands that would build differently from CI if run in the image instead of build.sh.
const OWN_BUILDS = [
  [/\bnpm\s+run\s+build\b|\bwebpack\b|\byarn\s+build\b/, 'builds the frontend itself'],
  [/\bmage\b|\bgo\s+build\b/, 'builds the backend itself'],
];

// What a `COPY . ...` must not carry from the host into a build stage.
const MUST_IGNORE = [
  ['node_modules', 'error', "the host's node_modules would mix with the image's npm ci install"],
  ['dist', 'error', "a host build in dist/ could end up in the image instead of scripts/build.sh's"],
  ['bin', 'error', "host-built executables in bin/ could end up in the image instead of scripts/build.sh's"],
  ['.git', 'warning', 'the git history only makes the build context bigger'],
  ['artifacts', 'warning', 'plugin zips from npm run package only make the build context bigger'],
];

// YAML to JSON in python3, errors as "line L, column C: problem" like js-yaml's.
const PY_YAML = `
import sys, json, yaml
try:
    doc = yaml.safe_load(sys.stdin)
except yaml.YAMLError as e:
    m = getattr(e, 'problem_mark', None)
    where = 'line %d, column %d: ' % (m.line + 1, m.column + 1) if m else ''
    sys.stderr.write(where + str(getattr(e, 'problem', None) or e))
    sys.exit(1)
print(json.dumps(doc, default=str))
`;

// js-yaml comes with eslint (a devDependency); python3's yaml is the fallback
// (KAIZEN_YAML_PARSER=python3 picks it, for its test).
let yamlParser;
function loadYaml(text, file) {
  if (yamlParser === undefined) {
    try {
      if (process.env.KAIZEN_YAML_PARSER === 'python3') {
        throw new Error('python3 requested');
      }
      const req = createRequire(path.join(REPO, 'package.json'));
      const jsyaml = req('js-yaml');
      yamlParser = { name: 'js-yaml', load: (t) => jsyaml.load(t) };
    } catch {
      yamlParser = {
        name: 'python3 yaml',
        load: (t) => {
          const r = spawnSync('python3', ['-c', PY_YAML], { input: t, encoding: 'utf8' });
          if (r.status !== 0) {
            throw new Error(r.error?.message ?? r.stderr.trim());
          }
          return JSON.parse(r.stdout);
        },
      };
    }
  }
  try {
    return { doc: yamlParser.load(text) };
  } catch (e) {
    const where = e.mark ? `line ${e.mark.line + 1}, column ${e.mark.column + 1}: ` : '';
    const msg = e.reason ?? e.message;
    return { error: `${file}: not valid YAML (${where}${msg})` };
  }
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// Files under dir (relative, '/' separated), not descending into node_modules or .git.
function listFiles(dir, rel = '') {
  const out = [];
  let items;
  try {
    items = readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const d of items) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) {
      if (d.name !== 'node_modules' && d.name !== '.git') {
        out.push(...listFiles(dir, r));
      }
    } else {
      out.push(r);
    }
  }
  return out;
}

/** Our plugins, from src/**\/plugin.json: [{ file, id, type, executable }]. */
export function pluginIds(repo) {
  const out = [];
  for (const f of listFiles(path.join(repo, 'src')).filter((f) => path.posix.basename(f) === 'plugin.json')) {
    try {
      const meta = JSON.parse(readFileSync(path.join(repo, 'src', f), 'utf8'));
      out.push({ file: `src/${f}`, id: meta.id, type: meta.type, executable: meta.executable });
    } catch (e) {
      out.push({ file: `src/${f}`, error: e.message });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

// A compose value after interpolation: the default of ${VAR:-x} / ${VAR-x}, empty for ${VAR}.
function composeDefault(value) {
  if (typeof value !== 'string') {
    return value === null || value === undefined ? '' : String(value);
  }
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (_, name, op, arg) =>
    op === ':-' || op === '-' ? arg : ''
  );
}

function composeEnv(service) {
  const env = new Map();
  if (Array.isArray(service.environment)) {
    for (const item of service.environment) {
      const s = String(item);
      const eq = s.indexOf('=');
      env.set(eq < 0 ? s : s.slice(0, eq), eq < 0 ? null : s.slice(eq + 1));
    }
  } else if (isObject(service.environment)) {
    for (const [k, v] of Object.entries(service.environment)) {
      env.set(k, v === null ? null : String(v));
    }
  }
  return env;
}

function isTrue(v) {
  return /^(true|1|yes|on)$/i.test(String(v ?? '').trim());
}

/**
 * Checks the compose file and the Dockerfiles it builds, relative to repo.
 * Returns { problems: [{ severity, rule, message }], parser }.
 */
export function checkDocker(repo = REPO, opts = {}) {
  const problems = [];
  const error = (rule, message) => problems.push({ severity: 'error', rule, message });
  const warn = (rule, message) => problems.push({ severity: 'warning', rule, message });
  const composeRel = opts.compose ?? 'docker-compose.yaml';
  const composeFile = path.resolve(repo, composeRel);
  const composeDir = path.dirname(composeFile);
  const rel = (p) => path.relative(repo, p) || '.';
  const result = { problems, parser: null };

  const plugins = pluginIds(repo);
  for (const p of plugins.filter((p) => p.error)) {
    error('plugins', `${p.file}: not valid JSON (${p.error})`);
  }
  const ids = plugins.filter((p) => typeof p.id === 'string').map((p) => p.id);
  const appIds = plugins.filter((p) => p.type === 'app').map((p) => p.id);
  const dsIds = plugins.filter((p) => p.type === 'datasource').map((p) => p.id);
  const executables = plugins.filter((p) => typeof p.executable === 'string' && p.executable);
  if (ids.length === 0) {
    error('plugins', 'no src/**/plugin.json found: cannot tell which plugin ids the image must allow');
  }
  const orgs = new Set(ids.map((id) => id.split('-')[0]));

  if (!existsSync(composeFile)) {
    error('compose', `${composeRel} is missing`);
    return result;
  }
  const { doc: compose, error: yamlError } = loadYaml(readFileSync(composeFile, 'utf8'), composeRel);
  result.parser = yamlParser?.name;
  if (yamlError) {
    error('compose', yamlError);
    return result;
  }
  if (!isObject(compose) || !isObject(compose.services) || Object.keys(compose.services).length === 0) {
    error('compose', `${composeRel}: has no services`);
    return result;
  }
  const namedVolumes = new Set(isObject(compose.volumes) ? Object.keys(compose.volumes) : []);

  const dockerfiles = new Map(); // Dockerfile path -> { context, services, args }
  const providedEnv = new Set(); // variables the running container gets (compose environment, Dockerfile ENV)
  const composeMounts = []; // container paths compose mounts host paths onto
  for (const [name, service] of Object.entries(compose.services)) {
    const where = `${composeRel}: service ${name}`;
    if (!isObject(service)) {
      error('compose', `${where} is not a mapping`);
      continue;
    }
    if (service.build !== undefined) {
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      if (!isObject(build)) {
        error('compose', `${where}: build must be a path or a mapping`);
      } else {
        const context = path.resolve(composeDir, composeDefault(build.context ?? '.'));
        if (!existsSync(context) || !statSync(context).isDirectory()) {
          error('compose', `${where}: build context ${rel(context)} does not exist`);
        } else if (build.dockerfile_inline === undefined) {
          const dockerfile = path.resolve(context, composeDefault(build.dockerfile ?? 'Dockerfile'));
          if (!existsSync(dockerfile)) {
            error('compose', `${where}: dockerfile ${rel(dockerfile)} does not exist`);
          } else {
            const entry = dockerfiles.get(dockerfile) ?? { context, services: [], args: new Set() };
            entry.services.push(name);
            const args = Array.isArray(build.args)
              ? build.args.map((a) => String(a).split('=')[0])
              : Object.keys(isObject(build.args) ? build.args : {});
            args.forEach((a) => entry.args.add(a));
            dockerfiles.set(dockerfile, entry);
          }
        }
      }
    } else if (typeof service.image !== 'string') {
      error('compose', `${where}: has neither build nor image`);
    }
    const env = composeEnv(service);
    for (const [k] of env) {
      providedEnv.add(k);
    }
    if (env.has(ANON_ENV) && isTrue(composeDefault(env.get(ANON_ENV)))) {
      error(
        'anonymous-auth',
        `${where}: ${ANON_ENV} defaults to ${composeDefault(env.get(ANON_ENV))}; anonymous access must be off unless the user opts in`
      );
    }
    if (env.has(UNSIGNED_ENV)) {
      checkUnsignedList(`${where}: ${UNSIGNED_ENV}`, composeDefault(env.get(UNSIGNED_ENV)));
    }
    const envFiles = [service.env_file ?? []].flat().map((f) => (isObject(f) ? f.path : f));
    for (const f of envFiles) {
      const p = path.resolve(composeDir, composeDefault(f));
      if (!existsSync(p) && !(isObject(f) && f.required === false)) {
        error('compose', `${where}: env_file ${rel(p)} does not exist`);
      }
    }
    for (const v of Array.isArray(service.volumes) ? service.volumes : []) {
      let type;
      let source;
      let target;
      if (typeof v === 'string') {
        const parts = v.split(':');
        if (parts.length === 1) {
          continue; // anonymous volume
        }
        [source, target] = parts;
        type = /^[./~]/.test(source) ? 'bind' : 'volume';
      } else if (isObject(v)) {
        ({ type, source, target } = v);
      } else {
        error('compose', `${where}: volume ${JSON.stringify(v)} is neither a string nor a mapping`);
        continue;
      }
      source = composeDefault(source ?? '');
      if (type === 'volume' && source && !namedVolumes.has(source)) {
        error('compose', `${where}: volume ${source} is not declared under the top-level volumes`);
      } else if (type === 'bind') {
        const host = path.resolve(composeDir, source.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'));
        const inside = !path.relative(repo, host).startsWith('..');
        if (!inside) {
          warn('compose', `${where}: mounts ${source}, which is outside the repository`);
        } else if (!existsSync(host)) {
          error('compose', `${where}: mounts ${rel(host)}, which does not exist in the repository`);
        } else {
          composeMounts.push({ host, target });
        }
      }
    }
    for (const dep of Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {})) {
      if (!compose.services[dep]) {
        error('compose', `${where}: depends_on ${dep}, which is not a service`);
      }
    }
  }
  for (const kind of ['configs', 'secrets']) {
    for (const [name, def] of Object.entries(isObject(compose[kind]) ? compose[kind] : {})) {
      if (isObject(def) && typeof def.file === 'string' && !existsSync(path.resolve(composeDir, def.file))) {
        error('compose', `${composeRel}: ${kind} ${name} reads ${def.file}, which does not exist`);
      }
    }
  }

  function checkUnsignedList(where, value) {
    const listed = String(value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const dupes = listed.filter((id, i) => listed.indexOf(id) !== i);
    const missing = ids.filter((id) => !listed.includes(id));
    const extra = listed.filter((id) => !ids.includes(id));
    if (dupes.length) {
      error('unsigned-plugins', `${where} lists ${[...new Set(dupes)].join(', ')} twice`);
    }
    if (missing.length) {
      error(
        'unsigned-plugins',
        `${where} leaves out ${missing.join(', ')}: Grafana would refuse to load ${missing.length === 1 ? 'it' : 'them'} unsigned`
      );
    }
    if (extra.length) {
      error(
        'unsigned-plugins',
        `${where} also allows ${extra.join(', ')}, which ${extra.length === 1 ? 'is not one of our plugins' : 'are not our plugins'} (src/**/plugin.json): allow exactly our ids`
      );
    }
  }

  // The Dockerfiles compose builds.
  const copiedProvisioning = []; // host files copied into /etc/grafana/provisioning, with their target
  const copyTargets = [];
  for (const [dockerfile, { context, services, args }] of dockerfiles) {
    const dfRel = rel(dockerfile);
    const ignoreFile = path.join(context, '.dockerignore');
    const ignore = dockerignore(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '');
    const parsed = stages(parseDockerfile(readFileSync(dockerfile, 'utf8')));
    if (parsed.stages.length === 0) {
      error('dockerfile', `${dfRel}: has no FROM`);
      continue;
    }
    const declaredArgs = new Set(parsed.globalArgs.keys());
    for (const st of parsed.stages) {
      for (const ins of st.instructions.filter((i) => i.cmd === 'ARG')) {
        for (const [k] of envPairs(ins.args)) {
          declaredArgs.add(k);
        }
      }
    }
    for (const a of args) {
      if (!declaredArgs.has(a)) {
        warn(
          'dockerfile',
          `${dfRel}: compose passes build arg ${a} (service ${services.join(', ')}) but the Dockerfile declares no ARG ${a}`
        );
      }
    }
    const stageNames = new Map(parsed.stages.filter((s) => s.name).map((s) => [s.name, s]));
    const builds = new Set();
    for (const st of parsed.stages) {
      const vars = new Map(parsed.globalArgs);
      const label = `${dfRel}: ${st === parsed.stages[parsed.stages.length - 1] ? 'final stage' : 'stage'} ${st.name ?? st.index} (FROM ${st.from})`;
      for (const ins of st.instructions) {
        const at = `${dfRel}:${ins.line}`;
        if (ins.cmd === 'ARG' || ins.cmd === 'ENV') {
          for (const [k, v] of envPairs(ins.args)) {
            vars.set(k, v ?? vars.get(k) ?? null);
          }
        }
        if (ins.cmd === 'RUN') {
          for (const m of ins.args.matchAll(BUILD_SH)) {
            builds.add(m[2]);
          }
          for (const [re, what] of OWN_BUILDS) {
            if (re.test(ins.args.replace(BUILD_SH, ''))) {
              error(
                'build-script',
                `${at}: RUN ${what}; call bash scripts/build.sh frontend|backend so the image is built the way CI builds it`
              );
            }
          }
        }
        if (ins.cmd !== 'COPY' && ins.cmd !== 'ADD') {
          continue;
        }
        const { flags, sources, dest } = copyOperands(ins.args);
        if (sources.length === 0) {
          error('dockerfile', `${at}: ${ins.cmd} needs a source and a destination`);
          continue;
        }
        const target = substitute(dest, vars);
        if (flags.from !== undefined) {
          const from = substitute(String(flags.from), vars);
          const fromStage = stageNames.get(from) ?? (/^\d+$/.test(from) ? parsed.stages[Number(from)] : undefined);
          if (!fromStage && !/[/:]/.test(from)) {
            error('dockerfile', `${at}: COPY --from=${from}: no earlier stage is named ${from}`);
          } else if (fromStage && fromStage.index >= st.index) {
            error('dockerfile', `${at}: COPY --from=${from}: that stage comes after this one`);
          }
          for (const src of sources.map((s) => substitute(s, vars))) {
            const base = path.posix.basename(src);
            if (!base.startsWith('gpx_')) {
              continue;
            }
            const known = executables.some((p) => new RegExp(`^${p.executable}_linux_[a-z0-9]+$`).test(base));
            if (!known) {
              const want = executables.map((p) => `${p.executable}_linux_<arch>`).join(' or ') || 'none declared';
              error(
                'dockerfile',
                `${at}: copies ${base}, but the data source's executable is ${want} (src/**/plugin.json)`
              );
            }
          }
          copyTargets.push({ target, fromStage: fromStage?.name ?? from, sources });
          continue;
        }
        if (/^https?:\/\//.test(sources[0]) && ins.cmd === 'ADD') {
          continue;
        }
        for (const rawSrc of sources) {
          const src = substitute(rawSrc, vars);
          if (src.includes('$')) {
            warn('dockerfile', `${at}: cannot resolve ${rawSrc} statically; not checked`);
            continue;
          }
          const relSrc = path.posix.normalize(src.replace(/^\/+/, ''));
          if (relSrc.startsWith('..')) {
            error('dockerfile', `${at}: ${src} is outside the build context ${rel(context)}`);
            continue;
          }
          const matches = /[*?[]/.test(relSrc)
            ? listFiles(context).filter((f) => globMatch(relSrc, f))
            : existsSync(path.join(context, relSrc))
              ? [relSrc]
              : [];
          if (matches.length === 0) {
            error('dockerfile', `${at}: ${ins.cmd} ${src}: no such file in the build context ${rel(context)}`);
            continue;
          }
          const left = matches.filter((m) => m !== '.' && ignore.excluded(m));
          if (left.length === matches.length && relSrc !== '.') {
            error('dockerignore', `${at}: ${ins.cmd} ${src}, which .dockerignore leaves out of the build context`);
            continue;
          }
          if (relSrc === '.') {
            for (const [dir, severity, why] of MUST_IGNORE) {
              if (!ignore.excluded(dir)) {
                (severity === 'error' ? error : warn)(
                  'dockerignore',
                  `${at}: ${ins.cmd} . copies ${dir}/ (add it to .dockerignore): ${why}`
                );
              }
            }
          }
          copyTargets.push({ target, host: path.join(context, relSrc), sources: [src] });
          if (/^\/etc\/grafana\/provisioning(\/|$)/.test(target)) {
            copiedProvisioning.push({ host: path.join(context, relSrc), target });
          }
          if (/\.ini$/.test(relSrc) || /grafana\.ini$/.test(target)) {
            const iniFile = path.join(context, relSrc);
            if (
              statSync(iniFile).isFile() &&
              /\[auth\.anonymous\][^[]*?\benabled\s*=\s*true\b/i.test(readFileSync(iniFile, 'utf8'))
            ) {
              error('anonymous-auth', `${at}: ${src} turns anonymous access on ([auth.anonymous] enabled = true)`);
            }
          }
        }
      }
      if (st === parsed.stages[parsed.stages.length - 1]) {
        checkFinalStage(st, label, parsed, stageNames);
      }
    }
    for (const part of ['frontend', 'backend']) {
      if (!builds.has(part) && !builds.has('all')) {
        error(
          'build-script',
          `${dfRel}: no stage runs scripts/build.sh ${part}; the image must be built by the script CI runs`
        );
      }
    }
  }
  if (dockerfiles.size === 0) {
    warn('compose', `${composeRel}: no service builds an image from this repository`);
  }

  function stageEnv(st, stageNames, seen = new Set()) {
    const base = stageNames.get(st.from);
    const env = base && !seen.has(base) ? stageEnv(base, stageNames, seen.add(st)) : new Map();
    for (const ins of st.instructions.filter((i) => i.cmd === 'ENV')) {
      for (const [k, v] of envPairs(ins.args)) {
        env.set(k, v);
      }
    }
    return env;
  }

  function checkFinalStage(st, label, parsed, stageNames) {
    const env = stageEnv(st, stageNames);
    for (const k of env.keys()) {
      providedEnv.add(k);
    }
    if (!env.has(UNSIGNED_ENV)) {
      error('unsigned-plugins', `${label}: sets no ${UNSIGNED_ENV}; Grafana would refuse our unsigned plugins`);
    } else {
      checkUnsignedList(`${label}: ${UNSIGNED_ENV}`, env.get(UNSIGNED_ENV));
    }
    if (isTrue(env.get(ANON_ENV))) {
      error('anonymous-auth', `${label}: ENV ${ANON_ENV}=${env.get(ANON_ENV)} turns anonymous access on for everyone`);
    }
    const pluginDirs = st.instructions
      .filter((i) => i.cmd === 'COPY')
      .map((i) => copyOperands(i.args))
      .filter((c) => /^\/var\/lib\/grafana\/plugins\/[^/]+\/?$/.test(c.dest));
    for (const c of pluginDirs) {
      const dir = c.dest.replace(/\/$/, '').split('/').pop();
      if (appIds.length && !appIds.includes(dir)) {
        warn(
          'dockerfile',
          `${label}: installs the plugin into plugins/${dir}; name the folder by the app id (${appIds.join(', ')})`
        );
      }
    }
  }

  // Provisioning the image gets (COPY into /etc/grafana/provisioning) or compose mounts there.
  for (const m of composeMounts) {
    if (/^\/etc\/grafana\/provisioning(\/|$)/.test(m.target ?? '')) {
      copiedProvisioning.push({ host: m.host, target: m.target });
    }
  }
  const provisioned = { datasources: [], apps: [], providers: [] };
  for (const { host, target } of copiedProvisioning) {
    // Where each file lands in the container decides what Grafana reads it as.
    const files = statSync(host).isDirectory()
      ? listFiles(host).map((f) => ({ file: path.join(host, f), inContainer: path.posix.join(target, f) }))
      : [{ file: host, inContainer: target.endsWith('/') ? target + path.basename(host) : target }];
    for (const { file, inContainer } of files) {
      if (!/\.ya?ml$/.test(file)) {
        continue;
      }
      const fileRel = rel(file);
      const segments = inContainer.replace(/^\/etc\/grafana\/provisioning\/?/, '').split('/');
      // optional/<kind>/ holds files the entrypoint adds when a compose profile runs.
      const optional = segments[0] === 'optional';
      const kind = optional ? segments[1] : segments[0];
      const text = readFileSync(file, 'utf8');
      const { doc, error: err } = loadYaml(text, fileRel);
      if (err) {
        error('provisioning', err);
        continue;
      }
      if (!isObject(doc)) {
        error('provisioning', `${fileRel}: not a mapping`);
        continue;
      }
      if (doc.apiVersion === undefined) {
        warn('provisioning', `${fileRel}: no apiVersion (Grafana expects apiVersion: 1)`);
      }
      for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
        if (!providedEnv.has(m[1]) && !m[1].startsWith('GF_')) {
          warn(
            'provisioning',
            `${fileRel}: uses $${m[1]}, which neither the compose file nor the Dockerfile sets; Grafana would put an empty string there`
          );
        }
      }
      if (kind === 'datasources') {
        for (const ds of Array.isArray(doc.datasources) ? doc.datasources : []) {
          provisioned.datasources.push({ file: fileRel, ...ds });
        }
        if (optional) {
          checkOptionalProvisioning(fileRel, path.posix.basename(inContainer));
        }
      } else if (kind === 'plugins') {
        for (const a of Array.isArray(doc.apps) ? doc.apps : []) {
          provisioned.apps.push({ file: fileRel, ...a });
        }
      } else if (kind === 'dashboards') {
        for (const p of Array.isArray(doc.providers) ? doc.providers : []) {
          provisioned.providers.push({ file: fileRel, ...p });
        }
      }
    }
  }
  // An optional file is named for its profile (kaizenops-<profile>.yaml): a compose
  // service must run in that profile, and the entrypoint must copy the file in.
  function checkOptionalProvisioning(fileRel, base) {
    const m = /^kaizenops-([a-z0-9_-]+)\.ya?ml$/.exec(base);
    if (!m) {
      error('profiles', `${fileRel}: an optional provisioning file is named kaizenops-<profile>.yaml`);
      return;
    }
    const profile = m[1];
    const services = Object.entries(compose.services)
      .filter(([, svc]) => Array.isArray(svc?.profiles) && svc.profiles.includes(profile))
      .map(([name]) => name);
    if (services.length === 0) {
      error('profiles', `${fileRel}: no service in ${composeRel} runs in the profile ${profile}`);
    }
    const entrypoint = path.join(repo, 'docker', 'entrypoint.sh');
    if (!existsSync(entrypoint) || !readFileSync(entrypoint, 'utf8').includes(base)) {
      error('profiles', `${fileRel}: docker/entrypoint.sh never copies ${base} into provisioning/datasources`);
    }
  }

  if (copiedProvisioning.length === 0) {
    warn(
      'provisioning',
      'nothing is copied or mounted into /etc/grafana/provisioning; the data source would not be provisioned'
    );
  } else {
    for (const ds of provisioned.datasources) {
      if (typeof ds.type !== 'string') {
        error('provisioning', `${ds.file}: data source ${JSON.stringify(ds.name)} has no type`);
      } else if (orgs.has(ds.type.split('-')[0]) && !dsIds.includes(ds.type)) {
        error(
          'provisioning',
          `${ds.file}: data source ${JSON.stringify(ds.name)} has type ${ds.type}, which is not our data source (${dsIds.join(', ')})`
        );
      }
    }
    for (const id of dsIds) {
      if (!provisioned.datasources.some((ds) => ds.type === id)) {
        error('provisioning', `no provisioning file provisions a data source of type ${id}`);
      }
    }
    for (const a of provisioned.apps) {
      if (typeof a.type !== 'string' || (orgs.has(a.type.split('-')[0]) && !appIds.includes(a.type))) {
        error('provisioning', `${a.file}: app ${JSON.stringify(a.type)} is not our app (${appIds.join(', ')})`);
      }
    }
    for (const id of appIds) {
      if (!provisioned.apps.some((a) => a.type === id)) {
        warn(
          'provisioning',
          `no provisioning file enables the app ${id}; its pages stay off until an admin enables it`
        );
      }
    }
    const dashboardTargets = copyTargets.filter(
      (c) => /dashboards/.test(c.target ?? '') && !/^\/etc\/grafana\/provisioning/.test(c.target)
    );
    for (const p of provisioned.providers) {
      const dir = p.options?.path;
      if (typeof dir !== 'string') {
        error('provisioning', `${p.file}: dashboard provider ${JSON.stringify(p.name)} has no options.path`);
      } else if (
        ![...copyTargets, ...composeMounts].some(
          (c) => c.target && (dir === c.target.replace(/\/$/, '') || dir.startsWith(`${c.target.replace(/\/$/, '')}/`))
        )
      ) {
        error(
          'provisioning',
          `${p.file}: dashboard provider ${JSON.stringify(p.name)} reads ${dir}, but the image puts nothing there`
        );
      }
    }
    for (const c of dashboardTargets) {
      const t = c.target.replace(/\/$/, '');
      if (
        !provisioned.providers.some(
          (p) => typeof p.options?.path === 'string' && (p.options.path === t || t.startsWith(`${p.options.path}/`))
        )
      ) {
        warn(
          'provisioning',
          `dashboards are copied to ${t}, but no provisioning/dashboards provider reads that folder`
        );
      }
    }
  }
  return result;
}

function globMatch(pattern, file) {
  const re = new RegExp(
    `^${pattern
      .split('/')
      .map((seg) =>
        seg
          .replace(/[.+^${}()|\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]')
      )
      .join('/')}(/.*)?$`
  );
  return re.test(file);
}

function parseArgs(argv) {
  const opts = { strict: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--repo' || a === '--compose') {
      if (i + 1 >= argv.length) {
        throw new Error(`${a} needs a value`);
      }
      opts[a.slice(2)] = argv[++i];
    } else if (a === '--strict') {
      opts.strict = true;
    } else if (a === '-h' || a === '--help') {
      opts.help = true;
    } else {
      throw new Error(`unknown argument ${a}`);
    }
  }
  return opts;
}

const USAGE = 'usage: npm run check:docker [-- --repo DIR] [--compose docker-compose.yaml] [--strict]';

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`check-docker: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const repo = path.resolve(opts.repo ?? REPO);
  const { problems, parser } = checkDocker(repo, opts);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  console.log(
    `check-docker: ${path.join(repo, opts.compose ?? 'docker-compose.yaml')}${parser ? ` (YAML via ${parser})` : ''}`
  );
  for (const p of problems) {
    console.log(`  ${p.severity === 'error' ? 'error  ' : 'warning'} [${p.rule}] ${p.message}`);
  }
  console.log(`  ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return errors > 0 || (opts.strict && warnings > 0) ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
