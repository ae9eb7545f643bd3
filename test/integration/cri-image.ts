import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sh } from '../sandbox.js';

/**
 * An OCI image archive of busybox-static for `ctr images import` (nothing can be pulled): one
 * layer, a config whose command sleeps — so the same image serves as the CRI's sandbox ("pause")
 * image — and the name containerd files it under (`io.containerd.image.name`).
 */
export const CRI_IMAGE = 'docker.io/netloom/bb:local';

export async function makeBusyboxOci(dir: string): Promise<string> {
  const root = join(dir, 'rootfs');
  const out = join(dir, 'oci');
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
  for (const a of ['sh', 'httpd', 'sleep', 'wget', 'mkdir']) symlinkSync('busybox', join(root, 'bin', a));
  mkdirSync(join(out, 'blobs', 'sha256'), { recursive: true });
  const layerTar = join(dir, 'layer.tar');
  await sh(['tar', '-C', root, '-cf', layerTar, '.']);
  const blob = (buf: Buffer, mediaType: string): { mediaType: string; digest: string; size: number } => {
    const hex = createHash('sha256').update(buf).digest('hex');
    writeFileSync(join(out, 'blobs', 'sha256', hex), buf);
    return { mediaType, digest: `sha256:${hex}`, size: buf.length };
  };
  const layerBytes = readFileSync(layerTar);
  const layer = blob(layerBytes, 'application/vnd.oci.image.layer.v1.tar');
  const config = blob(
    Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['/bin/sleep', '2147483647'] }, rootfs: { type: 'layers', diff_ids: [layer.digest] } })),
    'application/vnd.oci.image.config.v1+json',
  );
  const manifest = blob(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] })), 'application/vnd.oci.image.manifest.v1+json');
  writeFileSync(join(out, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...manifest, annotations: { 'io.containerd.image.name': CRI_IMAGE } }] }));
  writeFileSync(join(out, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const archive = join(dir, 'bb-oci.tar');
  await sh(['tar', '-C', out, '-cf', archive, 'index.json', 'oci-layout', 'blobs']);
  rmSync(layerTar);
  return archive;
}
