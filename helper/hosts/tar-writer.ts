/**
 * A ustar archive of a few regular files, written in memory: the helper bundle travels to a
 * remote host as one `tar -x` on ssh's stdin (issue 14), with no local tar program to run.
 */
export interface TarFile {
  name: string;
  mode: number;
  data: Buffer;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(f: TarFile, mtime: number): Buffer {
  if (!/^[A-Za-z0-9._-]{1,99}$/.test(f.name)) throw new Error(`not a plain file name for the bundle: ${f.name}`);
  const h = Buffer.alloc(512, 0);
  h.write(f.name, 0, 'utf8');
  h.write(octal(f.mode & 0o7777, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(f.data.length, 12), 124);
  h.write(octal(mtime, 12), 136);
  h.write('        ', 148); // checksum field counts as spaces
  h.write('0', 156); // a regular file
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148);
  return h;
}

export function tarArchive(files: readonly TarFile[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(header(f, mtime), f.data);
    const pad = (512 - (f.data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}
