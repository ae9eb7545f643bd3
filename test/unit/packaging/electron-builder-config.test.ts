import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugLogger } from 'builder-util';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { describe, expect, it } from 'vitest';

// Packaging cannot be run here (electron-builder stops at the Electron download), so the config
// is checked the way electron-builder itself checks it (its own JSON schema, via
// validateConfiguration) and every file it names must exist — the polkit action and the
// .desktop entry included. `npm test` builds first, so out/ is there.
const root = join(__dirname, '..', '..', '..');

interface Resource {
  from: string;
  to: string;
  filter?: string[];
}

async function config() {
  return (await getConfig(root, join(root, 'electron-builder.yml'), null)) as unknown as {
    productName: string;
    directories: { buildResources: string; output: string };
    /** getConfig normalises `files` to [{ filter: [...] }]. */
    files: { filter: string[] }[];
    extraResources: Resource[];
    electronVersion: string;
    electronFuses: Record<string, boolean>;
    linux: { target: string[]; executableName: string; desktop: { entry: Record<string, string> } };
    deb: { fpm: string[]; depends: string[]; recommends: string[] };
  };
}

const RUNTIME = 'out/helper-runtime/node';

/** The fpm SOURCE=DEST pairs the .deb adds. */
const fpmFiles = (fpm: string[]) => fpm.filter((a) => !a.startsWith('-')).map((a) => a.split('=') as [string, string]);

describe('electron-builder.yml', () => {
  it("passes electron-builder's own validation (its scheme.json)", async () => {
    const c = await config();
    await expect(validateConfiguration(c as never, new DebugLogger(false))).resolves.toBeUndefined();
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('a wrong key is caught by the same validation (the check is real)', async () => {
    const c = { ...(await config()), linux: { ...(await config()).linux, targett: ['deb'] } };
    await expect(validateConfiguration(c as never, new DebugLogger(false))).rejects.toThrow(/configuration\.linux /);
  });

  it('every file it names exists', async () => {
    const c = await config();
    expect(existsSync(join(root, c.directories.buildResources))).toBe(true);
    // The helper's Node.js is staged only by `npm run dist` (its own test below).
    for (const r of c.extraResources.filter((x) => x.from !== RUNTIME)) {
      const from = join(root, r.from);
      expect(existsSync(from), r.from).toBe(true);
      for (const f of r.filter ?? []) expect(existsSync(join(from, f)), `${r.from}/${f}`).toBe(true);
    }
    for (const [src, dest] of fpmFiles(c.deb.fpm)) {
      expect(existsSync(join(root, src)), src).toBe(true);
      expect(dest).toMatch(/^\/usr\/share\//);
    }
    const patterns = c.files.flatMap((f) => f.filter);
    expect(patterns).toContain('out/**');
    for (const p of patterns.filter((f) => !f.startsWith('!') && !f.includes('*'))) expect(existsSync(join(root, p)), p).toBe(true);
    expect(existsSync(join(root, 'out/main/main.js'))).toBe(true);
    expect(existsSync(join(root, 'out/preload/preload.js'))).toBe(true);
    expect(existsSync(join(root, 'out/renderer/index.html'))).toBe(true);
  });

  it('the polkit action names the launcher the package installs, and the launcher runs the bundled helper', async () => {
    const c = await config();
    const policy = readFileSync(join(root, 'build/linux/org.netloom.helper.policy'), 'utf8');
    expect(fpmFiles(c.deb.fpm)).toContainEqual(['build/linux/org.netloom.helper.policy', '/usr/share/polkit-1/actions/org.netloom.helper.policy']);
    expect(policy).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE policyconfig /);
    expect(policy).toContain('<action id="org.netloom.helper">');
    const execPath = /<annotate key="org\.freedesktop\.policykit\.exec\.path">([^<]+)<\/annotate>/.exec(policy)?.[1];
    // deb installs the app under /opt/<productName>; extraResources land in its resources/.
    const launcher = c.extraResources.find((r) => r.from === 'build/linux/netloom-helper');
    expect(execPath).toBe(`/opt/${c.productName}/resources/${launcher?.to}`);
    // Never "yes": a root helper always needs the person's say-so.
    expect(policy).not.toMatch(/<allow_\w+>yes</);
    const script = join(root, 'build/linux/netloom-helper');
    accessSync(script, constants.X_OK);
    expect(statSync(script).mode & 0o022).toBe(0);
    const text = readFileSync(script, 'utf8');
    expect(text).toMatch(/^#!\/bin\/sh\n/);
    // Its own Node.js (the app's binary has RunAsNode fused off), and fixed arguments only.
    expect(text).toContain(`here=/opt/${c.productName}/resources/helper\n`);
    expect(text).toContain('exec "$here/node" "$here/netloom.cjs" helper --connect "$2" --token-file "$4"');
    expect(text).not.toContain('"$@"');
    expect(text).not.toContain('ELECTRON_RUN_AS_NODE');
    expect(c.extraResources).toContainEqual({ from: RUNTIME, to: 'helper/node' });
    // Every start asks: never a kept grant.
    expect(policy).not.toContain('auth_admin_keep');
    expect(policy).toContain('<allow_active>auth_admin</allow_active>');
  });

  it('the launcher takes exactly --connect SOCKET --token-file FILE, two plain absolute paths, and nothing else', () => {
    const script = join(root, 'build/linux/netloom-helper');
    const run = (...args: string[]) => spawnSync('/bin/sh', [script, ...args], { encoding: 'utf8' });
    for (const bad of [
      [],
      ['apply', '/tmp/x.json'],
      ['serve', '--port', '80'],
      ['--connect', '/run/user/1000/netloom-a/helper.sock', '--token-file'],
      ['--connect', 'rel/helper.sock', '--token-file', '/run/user/1000/netloom-a/token'],
      ['--connect', '/run/user/1000/netloom-a/helper.sock', '--token-file', '/run/user/1000/netloom-a/token', '--stdio'],
      ['--connect', '/run/user/1000/$(id)/helper.sock', '--token-file', '/run/user/1000/netloom-a/token'],
      ['--connect', '/run/user/1000/../../etc/x', '--token-file', '/run/user/1000/netloom-a/token'],
      ['--token-file', '/run/user/1000/netloom-a/token', '--connect', '/run/user/1000/netloom-a/helper.sock'],
    ]) {
      const r = run(...bad);
      expect([r.status, r.stderr], bad.join(' ')).toEqual([2, 'usage: netloom-helper --connect SOCKET --token-file FILE\n']);
    }
    // Good arguments get as far as the runtime, which is not installed here.
    const good = run('--connect', '/run/user/1000/netloom-a/helper.sock', '--token-file', '/run/user/1000/netloom-a/token');
    expect(good.status).not.toBe(2);
    expect(good.stderr).toContain('/opt/netloom/resources/helper/node');
  });

  it('fuses: RunAsNode, NODE_OPTIONS and --inspect off, asar only, cookies encrypted; the Electron version said outright', async () => {
    const c = await config();
    expect(c.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(c.electronVersion).toBe(pkg.optionalDependencies['electron']);
    expect(pkg.devDependencies['electron']).toBeUndefined();
  });

  it('the package carries no node_modules: main and preload need nothing but electron and Node\'s own modules', async () => {
    const c = await config();
    expect(c.files.flatMap((f) => f.filter)).toContain('!node_modules{,/**/*}');
    for (const bundle of ['out/main/main.js', 'out/preload/preload.js']) {
      const required = [...readFileSync(join(root, bundle), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] ?? '');
      expect(required.filter((r) => r !== 'electron' && !builtinModules.includes(r.replace(/^node:/, ''))), bundle).toEqual([]);
    }
  });

  it('stage-helper-runtime copies a Node.js that runs, for resources/helper/node', () => {
    const out = mkdtempSync(join(tmpdir(), 'netloom-runtime-'));
    const r = spawnSync(process.execPath, [join(root, 'scripts/stage-helper-runtime.mjs'), out], { encoding: 'utf8' });
    if ((process.config.variables as Record<string, unknown>)['node_shared'] === true) {
      expect(r.status).toBe(1);
      return;
    }
    expect(r.status, r.stderr).toBe(0);
    expect(spawnSync(join(out, 'node'), ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()).toBe(process.versions.node);
    rmSync(out, { recursive: true, force: true });
  });

  it('the menu entry in the config is build/linux/netloom.desktop, key for key', async () => {
    const c = await config();
    const lines = readFileSync(join(root, 'build/linux/netloom.desktop'), 'utf8').split('\n');
    expect(lines[0]).toBe('[Desktop Entry]');
    const file = Object.fromEntries(lines.slice(1).filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const { Type, Exec, ...rest } = file;
    expect(Type).toBe('Application');
    expect(Exec).toBe(`/opt/${c.productName}/${c.linux.executableName} %U`);
    expect(c.linux.desktop.entry).toEqual(rest);
  });
});
