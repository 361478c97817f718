// A small ZIP writer and reader on node's zlib, for the plugin package and its check.
// No zip/unzip command is needed (CI, the Docker build stages and a developer's machine
// may not have one). Unix modes travel in the central directory's external attributes,
// the way Info-ZIP and Go's archive/zip (Grafana's installer) read them, so an
// executable's run bit survives `grafana cli plugins install` and a plain `unzip`.
// ZIP64 is not written or read: a plugin archive is far below 4 GiB and 65535 entries.
import * as zlib from 'node:zlib';

const { deflateRawSync, inflateRawSync } = zlib;

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
const MADE_BY_UNIX = 3 << 8; // host system 3 = Unix, so readers honour the mode bits
const VERSION = 20; // 2.0: deflate and directories
const UTF8_FLAG = 0x0800;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFMT = 0o170000;
const MSDOS_DIR = 0x10;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE) of a buffer, as ZIP stores it (zlib's native one where node has it, 20.15+). */
export function crc32(buf) {
  return typeof zlib.crc32 === 'function' ? zlib.crc32(buf) >>> 0 : crc32Table(buf);
}

/** The same CRC-32 in JavaScript. */
export function crc32Table(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) {
    c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

// MS-DOS date and time (local fields, 2-second resolution, 1980..2107), as ZIP stores them.
function dosDateTime(date) {
  const d = date instanceof Date && !Number.isNaN(date.getTime()) ? date : new Date(0);
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2);
  const day = ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  return { time, day };
}

function checkName(name) {
  if (typeof name !== 'string' || name === '') {
    throw new Error('zip entry without a name');
  }
  if (name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
    throw new Error(`zip entry ${JSON.stringify(name)}: names must be relative, use '/', and never contain '..'`);
  }
}

/**
 * Builds a ZIP archive in memory.
 * entries: [{ name, data?: Buffer|string, mode?: number, dir?: boolean, symlink?: string, mtime?: Date }]
 * Directory names end with '/'. mode is the permission bits (0o755, 0o644); the file type
 * bits are added here. Returns the archive as a Buffer.
 */
export function writeZip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  const seen = new Set();
  for (const e of entries) {
    const isDir = Boolean(e.dir) || e.name.endsWith('/');
    const name = isDir && !e.name.endsWith('/') ? `${e.name}/` : e.name;
    checkName(name);
    if (seen.has(name)) {
      throw new Error(`zip entry ${name} added twice`);
    }
    seen.add(name);
    const nameBuf = Buffer.from(name, 'utf8');
    const flags = /^[\x20-\x7e]*$/.test(name) ? 0 : UTF8_FLAG;
    let data = Buffer.alloc(0);
    let type = S_IFREG;
    if (isDir) {
      type = S_IFDIR;
    } else if (e.symlink !== undefined) {
      type = S_IFLNK;
      data = Buffer.from(e.symlink, 'utf8');
    } else if (e.data !== undefined) {
      data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    }
    const perm = (e.mode ?? (isDir ? 0o755 : 0o644)) & 0o7777;
    const crc = crc32(data);
    // zlib's default level: level 9 takes four times as long on the executables for 0.4% less.
    const deflated = data.length > 0 ? deflateRawSync(data) : data;
    const method = deflated.length < data.length ? 8 : 0;
    const stored = method === 8 ? deflated : data;
    const { time, day } = dosDateTime(e.mtime ?? new Date());

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIG, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBuf, stored);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIG, 0);
    central.writeUInt16LE(MADE_BY_UNIX | VERSION, 4);
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(day, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((((type | perm) << 16) | (isDir ? MSDOS_DIR : 0)) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);

    offset += local.length + nameBuf.length + stored.length;
    if (offset > 0xffffffff) {
      throw new Error('archive larger than 4 GiB: ZIP64 is not supported');
    }
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_SIG, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * Reads a ZIP archive held in a Buffer. Returns its entries in central-directory order:
 * { name, dir, symlink, mode (permission bits, or null when the archive carries none),
 *   size, data() } where data() inflates and CRC-checks on demand.
 * Throws an Error naming what is wrong for anything that is not a readable ZIP.
 */
export function readZip(buf) {
  if (buf.length < 22) {
    throw new Error(`not a zip archive (${buf.length} bytes)`);
  }
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END_SIG) {
      end = i;
      break;
    }
  }
  if (end < 0) {
    throw new Error('not a zip archive: no end-of-central-directory record');
  }
  const count = buf.readUInt16LE(end + 10);
  const cdSize = buf.readUInt32LE(end + 12);
  const cdOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    throw new Error('ZIP64 archive: not supported here (a plugin archive should be far smaller)');
  }
  if (cdOffset + cdSize > end) {
    throw new Error('corrupt zip archive: central directory runs past its end record');
  }
  const entries = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_SIG) {
      throw new Error(`corrupt zip archive: central directory entry ${i + 1} of ${count} is missing`);
    }
    const madeBy = buf.readUInt16LE(p + 4);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString(flags & UTF8_FLAG ? 'utf8' : 'latin1');
    p += 46 + nameLen + extraLen + commentLen;
    if (csize === 0xffffffff || usize === 0xffffffff || localOffset === 0xffffffff) {
      throw new Error(`${name}: ZIP64 entry, not supported here`);
    }
    const unixMode = madeBy >> 8 === 3 ? external >>> 16 : 0;
    const fileType = unixMode & S_IFMT;
    const dir = name.endsWith('/') || fileType === S_IFDIR || (external & MSDOS_DIR) !== 0;
    const entry = {
      name,
      dir,
      symlink: fileType === S_IFLNK,
      mode: unixMode ? unixMode & 0o7777 : null,
      size: usize,
      data() {
        if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL_SIG) {
          throw new Error(`${name}: local header missing (corrupt archive)`);
        }
        const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
        const raw = buf.subarray(start, start + csize);
        let out;
        if (method === 0) {
          out = Buffer.from(raw);
        } else if (method === 8) {
          out = inflateRawSync(raw);
        } else {
          throw new Error(`${name}: compression method ${method} is not supported (use deflate or store)`);
        }
        if (out.length !== usize || crc32(out) !== crc) {
          throw new Error(`${name}: CRC or size mismatch (corrupt archive)`);
        }
        return out;
      },
    };
    entries.push(entry);
  }
  return entries;
}
