// What belongs in a Kaizen Ops plugin archive, shared by scripts/package.mjs (which leaves
// the rest out) and scripts/check-package.mjs (which reports it), so the two never disagree.

/** Platforms every release must carry a backend executable for (Grafana's images run on both). */
export const DEFAULT_PLATFORMS = ['linux/amd64', 'linux/arm64'];

// Paths (relative to the plugin's top folder) that never belong in a release, and why.
// Source maps are wanted (Grafana's validator asks for module.js.map); a map whose .js is
// not shipped is checked apart, since that depends on the other files.
const FORBIDDEN = [
  [/(^|\/)node_modules(\/|$)/, 'dependencies: webpack bundles what the frontend needs'],
  [/(^|\/)(testdata|__fixtures__|__mocks__|__snapshots__|__tests__|fixtures)(\/|$)/, 'test data'],
  [/\.(test|spec)\.[cm]?[jt]sx?$/, 'a test file'],
  [/\.(snap|golden)$/, 'test data'],
  [/(^|\/)harness(\/|$)/, 'panel harness output'],
  [/(^|\/)coverage(\/|$)/, 'a coverage report'],
  [/\.(db|db-wal|db-shm|sqlite|sqlite3)$/, 'a database file'],
  [/\.log$/, 'a log file'],
  [/(^|\/)(standalone|pid)\.txt$/, 'a backend debug file: Grafana would try to attach to a running debug process'],
  [/(^|\/)[^/]+\.(go|tsx|scss)$|(^|\/)[^/]+(?<!\.d)\.ts$/, 'source code (the archive ships built code only)'],
  [
    /(^|\/)(go\.mod|go\.sum|Magefile\.go|package\.json|package-lock\.json|yarn\.lock|pnpm-lock\.yaml|tsconfig\.json|webpack\.config\.ts)$/,
    'a build file',
  ],
  [/\.(zip|tar|tgz|gz|sha1|md5)$/, 'an archive or checksum (nested inside the archive)'],
  [/(~|\.swp|\.orig|\.rej|\.bak)$/, 'an editor or merge leftover'],
  [/(^|\/)\.[^/]+/, 'a hidden file'],
];

/** Why a path must not ship, or null when it may. */
export function forbiddenReason(relPath) {
  for (const [re, why] of FORBIDDEN) {
    if (re.test(relPath)) {
      return why;
    }
  }
  return null;
}

/** Is this path a source map whose JavaScript (or CSS) is not among the shipped paths? */
export function isStrayMap(relPath, paths) {
  return relPath.endsWith('.map') && !paths.has(relPath.slice(0, -'.map'.length));
}

// ELF e_machine, Mach-O cputype and PE machine values for Go's GOARCH names.
const ELF_MACHINE = { 3: '386', 40: 'arm', 62: 'amd64', 183: 'arm64' };
const MACHO_CPU = { 0x01000007: 'amd64', 0x0100000c: 'arm64', 7: '386' };
const PE_MACHINE = { 0x8664: 'amd64', 0xaa64: 'arm64', 0x14c: '386' };

/**
 * The executable format of a file's first bytes: { os, arch, static } for ELF (os 'linux'
 * stands for any SysV/Linux ELF; static is false when the file names a dynamic loader, which
 * Alpine's musl image does not have), { os: 'darwin', arch } for Mach-O, { os: 'windows', arch }
 * for PE; null for anything that is not an executable.
 */
export function binaryFormat(buf) {
  if (buf.length >= 52 && buf[0] === 0x7f && buf.toString('latin1', 1, 4) === 'ELF') {
    const is64 = buf[4] === 2;
    const le = buf[5] === 1;
    const u16 = (o) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
    const u32 = (o) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
    const osabi = buf[7];
    const machine = u16(18);
    const phoff = is64 ? Number(le ? buf.readBigUInt64LE(32) : buf.readBigUInt64BE(32)) : u32(28);
    const phentsize = u16(is64 ? 54 : 42);
    const phnum = u16(is64 ? 56 : 44);
    let isStatic = true;
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phentsize;
      if (at + 4 > buf.length) {
        break;
      }
      if (u32(at) === 3) {
        // PT_INTERP: the binary asks for a dynamic loader
        isStatic = false;
      }
    }
    const os = osabi === 0 || osabi === 3 ? 'linux' : `elf-osabi-${osabi}`;
    return { os, arch: ELF_MACHINE[machine] ?? `elf-machine-${machine}`, static: isStatic };
  }
  if (buf.length >= 8) {
    const magic = buf.readUInt32BE(0);
    if (magic === 0xcffaedfe || magic === 0xcefaedfe) {
      const cpu = buf.readUInt32LE(4);
      return { os: 'darwin', arch: MACHO_CPU[cpu] ?? `macho-cpu-${cpu}` };
    }
    if (magic === 0xfeedfacf || magic === 0xfeedface) {
      const cpu = buf.readUInt32BE(4);
      return { os: 'darwin', arch: MACHO_CPU[cpu] ?? `macho-cpu-${cpu}` };
    }
    if (magic === 0xcafebabe && buf.readUInt32BE(4) < 20) {
      return { os: 'darwin', arch: 'universal' };
    }
  }
  if (buf.length >= 0x40 && buf.toString('latin1', 0, 2) === 'MZ') {
    const pe = buf.readUInt32LE(0x3c);
    if (pe + 6 <= buf.length && buf.toString('latin1', pe, pe + 4) === 'PE\0\0') {
      const machine = buf.readUInt16LE(pe + 4);
      return { os: 'windows', arch: PE_MACHINE[machine] ?? `pe-machine-${machine}` };
    }
  }
  return null;
}

/**
 * The platform a backend executable's file name says it is for: Grafana looks for
 * `<executable>_<goos>_<goarch>` (plus `.exe` on Windows). Returns { os, arch } or null.
 */
export function platformFromName(fileName, executable) {
  const base = executable.split('/').pop();
  const m = fileName.match(/^(.*)_([a-z0-9]+)_([a-z0-9]+?)(\.exe)?$/);
  if (!m || m[1] !== base) {
    return null;
  }
  return { os: m[2], arch: m[3], exe: Boolean(m[4]) };
}

/** The file name Grafana runs for an executable on a platform ('linux/amd64'). */
export function executableName(executable, platform) {
  const [os, arch] = platform.split('/');
  return `${executable}_${os}_${arch}${os === 'windows' ? '.exe' : ''}`;
}
