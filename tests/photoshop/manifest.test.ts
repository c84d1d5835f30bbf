/**
 * manifest.json against the manifest v5 fields in /work/shared/docs/uxp-photoshop.md §1, plus the
 * checks UXP cannot do for us until load time: icon files exist at the declared sizes, the panel id
 * matches the one the code registers, minVersion covers the APIs used.
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';

const ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));

const TOP = ['manifestVersion', 'id', 'name', 'version', 'main', 'host', 'entrypoints', 'icons', 'requiredPermissions', 'featureFlags', 'addon', 'strings'];
const REQUIRED = ['manifestVersion', 'id', 'name', 'version', 'host', 'entrypoints'];
const PANEL_FIELDS = ['type', 'id', 'label', 'minimumSize', 'maximumSize', 'preferredDockedSize', 'preferredFloatingSize', 'icons'];
const ICON_FIELDS = ['width', 'height', 'path', 'scale', 'theme', 'species'];
const THEMES = ['darkest', 'dark', 'medium', 'lightest', 'light', 'all'];
const PERMISSIONS = ['localFileSystem', 'network', 'clipboard', 'webview', 'launchProcess', 'ipc', 'enableUserInfo', 'allowCodeGenerationFromStrings'];

function semverAtLeast(v: string, min: string): boolean {
  const a = v.split('.').map(Number), b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

type Icon = { width: number; height: number; path: string; scale: number[]; theme: string[]; species?: string[] };

async function checkIcon(icon: Icon): Promise<void> {
  expect(Object.keys(icon).every((k) => ICON_FIELDS.includes(k))).toBe(true);
  expect(icon.theme.every((t) => THEMES.includes(t))).toBe(true);
  for (const s of icon.scale) {
    // UXP resolves "icons/x.png" with scale s to "icons/x@<s>x.png".
    const file = path.join(ROOT, icon.path.replace(/\.png$/, `@${s}x.png`));
    expect(fs.existsSync(file)).toBe(true);
    const meta = await sharp(file).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', icon.width * s, icon.height * s]);
  }
}

describe('manifest.json (v5)', () => {
  test('top-level fields: required present, nothing unknown, types right', () => {
    for (const k of REQUIRED) expect(manifest).toHaveProperty(k);
    expect(Object.keys(manifest).filter((k) => !TOP.includes(k))).toEqual([]);
    expect(manifest.manifestVersion).toBe(5);
    expect(manifest.id).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(typeof manifest.name).toBe('string');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.main).toBe('index.html');
    expect(fs.existsSync(path.join(ROOT, 'src/hosts/photoshop/index.html'))).toBe(true);
  });

  test('host is Photoshop at a version that has imaging (24.4) and Document.selection (25.0)', () => {
    expect(manifest.host.app).toBe('PS');
    expect(manifest.host.minVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(semverAtLeast(manifest.host.minVersion, '25.0.0')).toBe(true);
  });

  test('one panel entrypoint whose id is the one index.tsx registers, with sane sizes', () => {
    expect(manifest.entrypoints).toHaveLength(1);
    const p = manifest.entrypoints[0];
    expect(p.type).toBe('panel');
    expect(Object.keys(p).filter((k) => !PANEL_FIELDS.includes(k))).toEqual([]);
    const src = fs.readFileSync(path.join(ROOT, 'src/hosts/photoshop/index.tsx'), 'utf8');
    expect(src).toContain(`PANEL_ID = '${p.id}'`);
    expect(typeof (p.label.default ?? p.label)).toBe('string');
    for (const k of ['minimumSize', 'maximumSize', 'preferredDockedSize', 'preferredFloatingSize']) {
      expect(Number.isInteger(p[k].width) && Number.isInteger(p[k].height)).toBe(true);
    }
    for (const k of ['preferredDockedSize', 'preferredFloatingSize']) {
      for (const d of ['width', 'height']) {
        expect(p[k][d]).toBeGreaterThanOrEqual(p.minimumSize[d]);
        expect(p[k][d]).toBeLessThanOrEqual(p.maximumSize[d]);
      }
    }
  });

  test('panel icons 23x23 @1x/@2x for dark and light themes; plugin-list icon; files exist at those sizes', async () => {
    const panelIcons: Icon[] = manifest.entrypoints[0].icons;
    const themes = panelIcons.flatMap((i) => i.theme);
    for (const t of ['darkest', 'dark', 'medium', 'lightest', 'light']) expect(themes).toContain(t);
    for (const icon of panelIcons) {
      expect([icon.width, icon.height, icon.scale]).toEqual([23, 23, [1, 2]]);
      await checkIcon(icon);
    }
    const list: Icon[] = manifest.icons;
    expect(list.some((i) => i.species?.includes('pluginList'))).toBe(true);
    for (const icon of list) await checkIcon(icon);
  });

  test('least permissions: no network, no code generation, plugin-folder file access only', () => {
    const perms = manifest.requiredPermissions ?? {};
    expect(Object.keys(perms).filter((k) => !PERMISSIONS.includes(k))).toEqual([]);
    expect(perms.network).toBeUndefined();
    expect(perms.allowCodeGenerationFromStrings).toBeUndefined();
    expect(perms.launchProcess).toBeUndefined();
    expect([undefined, 'plugin']).toContain(perms.localFileSystem);
  });
});
