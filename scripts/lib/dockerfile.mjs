// Just enough of the Dockerfile and .dockerignore formats for scripts/check-docker.mjs:
// instructions with continuation lines, stages, COPY/ADD operands, ENV pairs, ARG defaults,
// and .dockerignore matching with Docker's rules (Go filepath.Match plus '**', '!' exceptions,
// last match wins, a match on a parent folder excludes what is inside).

/** Instructions of a Dockerfile: [{ line, cmd (upper case), args (string) }]. */
export function parseDockerfile(text) {
  const out = [];
  const lines = text.split(/\r?\n/);
  let buf = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const trimmed = raw.trim();
    // Comment lines are dropped, also inside a continued instruction (as Docker does).
    if (trimmed.startsWith('#') || (trimmed === '' && buf === '')) {
      continue;
    }
    if (buf === '') {
      start = i + 1;
    }
    if (/\\\s*$/.test(raw)) {
      buf += `${raw.replace(/\\\s*$/, '')} `;
      continue;
    }
    buf += raw;
    const m = buf.trim().match(/^(\S+)\s*([\s\S]*)$/);
    if (m) {
      out.push({ line: start, cmd: m[1].toUpperCase(), args: m[2].trim() });
    }
    buf = '';
  }
  if (buf.trim()) {
    const m = buf.trim().match(/^(\S+)\s*([\s\S]*)$/);
    out.push({ line: start, cmd: m[1].toUpperCase(), args: m[2].trim() });
  }
  return out;
}

/** Splits instructions into stages: [{ index, name, from, line, instructions }], plus global ARGs. */
export function stages(instructions) {
  const globalArgs = new Map();
  const list = [];
  for (const ins of instructions) {
    if (ins.cmd === 'FROM') {
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const as = words.findIndex((w) => w.toLowerCase() === 'as');
      list.push({
        index: list.length,
        from: words[0],
        name: as >= 0 ? words[as + 1] : null,
        line: ins.line,
        instructions: [],
      });
    } else if (list.length === 0) {
      if (ins.cmd === 'ARG') {
        for (const [k, v] of argPairs(ins.args)) {
          globalArgs.set(k, v);
        }
      }
    } else {
      list[list.length - 1].instructions.push(ins);
    }
  }
  return { globalArgs, stages: list };
}

// Shell-like words: whitespace separated; '...' and "..." quote anywhere in a word (B="two words").
function words(s) {
  const out = [];
  let cur = '';
  let quote = null;
  let started = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) {
        quote = null;
      } else if (c === '\\' && quote === '"' && i + 1 < s.length) {
        cur += s[++i];
      } else {
        cur += c;
      }
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) {
        out.push(cur);
        cur = '';
        started = false;
      }
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      started = true;
    } else {
      cur += c;
      started = true;
    }
  }
  if (started) {
    out.push(cur);
  }
  return out;
}

/** ARG name[=default] ... as [name, default|null] pairs. */
export function argPairs(args) {
  return words(args).map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? [w, null] : [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** ENV key=value ... (or the legacy ENV key value) as [key, value] pairs. */
export function envPairs(args) {
  const m = args.match(/^([A-Za-z_][A-Za-z0-9_]*)\s+([^=]*)$/);
  if (m && !args.includes('=')) {
    return [[m[1], m[2].trim()]];
  }
  return words(args).map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? [w, ''] : [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** COPY/ADD operands: { flags: {from, chown, ...}, sources: [...], dest }. */
export function copyOperands(args) {
  const flags = {};
  let rest = args;
  for (;;) {
    const m = rest.match(/^--([a-z-]+)(?:=(\S*))?\s+/);
    if (!m) {
      break;
    }
    flags[m[1]] = m[2] ?? true;
    rest = rest.slice(m[0].length);
  }
  let list;
  if (rest.trim().startsWith('[')) {
    try {
      list = JSON.parse(rest);
    } catch {
      list = words(rest);
    }
  } else {
    list = words(rest);
  }
  return { flags, sources: list.slice(0, -1), dest: list[list.length - 1] ?? '' };
}

/** Replaces ${VAR}, ${VAR:-default} and $VAR from vars; unknown names stay as they are. */
export function substitute(s, vars) {
  return s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, a, dflt, b) => {
    const name = a ?? b;
    if (vars.has(name) && vars.get(name) !== null) {
      return vars.get(name);
    }
    return dflt !== undefined ? dflt : all;
  });
}

// Go's filepath.Match syntax plus '**' (any number of folders), as a RegExp.
function patternRegex(pattern) {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
      } else {
        re += `[${pattern.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) {
      re += `\\${pattern[++i]}`;
    } else {
      re += c.replace(/[.+^${}()|/]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

function cleanPath(p) {
  const parts = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') {
      continue;
    }
    if (seg === '..') {
      parts.pop();
    } else {
      parts.push(seg);
    }
  }
  return parts.join('/');
}

/** A .dockerignore as a matcher: excluded(relPath) is true when Docker leaves the path out of the context. */
export function dockerignore(text) {
  const rules = [];
  for (const rawLine of (text ?? '').split(/\r?\n/)) {
    let line = rawLine.trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const negate = line.startsWith('!');
    if (negate) {
      line = line.slice(1).trim();
    }
    const cleaned = cleanPath(line);
    if (cleaned === '') {
      continue;
    }
    rules.push({ negate, pattern: cleaned, re: patternRegex(cleaned) });
  }
  return {
    rules,
    excluded(relPath) {
      const p = cleanPath(relPath);
      if (p === '') {
        return false;
      }
      const parts = p.split('/');
      let excluded = false;
      for (const r of rules) {
        // A rule matches the path itself or any folder above it.
        let hit = false;
        for (let n = parts.length; n >= 1 && !hit; n--) {
          hit = r.re.test(parts.slice(0, n).join('/'));
        }
        if (hit) {
          excluded = !r.negate;
        }
      }
      return excluded;
    },
  };
}
