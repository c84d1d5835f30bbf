/**
 * The scripts sent to Photopea: valid ES5 (Photopea's interpreter has no arrow functions, template
 * strings, let/const or spread), and every value from Photopea or the user (document and layer names,
 * ids, data URLs) embedded as a JSON literal, so a hostile name cannot inject code.
 */
import {
  activateScript,
  exportActiveLayerScript,
  exportSelectionScript,
  layerBoundsScript,
  listDocumentsScript,
  placeScript,
  placedLayerScript,
  rasterizeScript,
  translateScript,
  type DocRef,
} from '../../src/hosts/photopea/scripts';
import { wrapScript } from '../../src/hosts/photopea/transport';

const evil = '"); app.echoToOE("pwned"); ("';
const doc: DocRef = { index: 1, name: evil, width: 640, height: 480 };

const all: [string, string][] = [
  ['list', listDocumentsScript()],
  ['layer', exportActiveLayerScript(doc)],
  ['selection', exportSelectionScript(doc)],
  ['place', placeScript(doc, 17, 'data:image/png;base64,iVBORw0KGgo=')],
  ['placed', placedLayerScript(doc, [1, 2, evil], evil)],
  ['rasterize', rasterizeScript(doc, 17, 3)],
  ['bounds', layerBoundsScript(doc, 17)],
  ['translate', translateScript(doc, 17, -3, 4)],
  ['activate', activateScript(doc)],
];

describe('Photopea scripts', () => {
  test.each(all)('%s: parses as a function body, wrapped with the transport prelude', (_n, body) => {
    expect(() => new Function('app', 'SolidColor', wrapScript('@t.1:', body))).not.toThrow();
  });

  test.each(all)('%s: no ES6 syntax', (_n, body) => {
    const code = wrapScript('@t.1:', body);
    expect(code).not.toMatch(/=>/);
    expect(code).not.toMatch(/`/);
    expect(code).not.toMatch(/\b(let|const|class)\s/);
    expect(code).not.toMatch(/\.\.\.[A-Za-z_$[]/);
  });

  test.each(all)('%s: no guard relies on short-circuit && / || (Photopea may evaluate both sides)', (_n, body) => {
    // e.g. `x&&x.y`, `x==null||x[2]`, `i<a.length&&f(a[i])`: the right side must be safe on its own.
    expect(body).not.toMatch(/(\b\w+)\s*(!=|==)?\s*(null)?\s*(&&|\|\|)\s*\1\s*[.[]/);
    expect(body).not.toMatch(/<\s*\w+\.length\s*&&[^;{]*\[/);
  });

  test('hostile names are embedded as JSON string literals only', () => {
    const s = exportActiveLayerScript(doc);
    expect(s).toContain(JSON.stringify(evil));
    // Executing the script against a recording stub: the name is compared, never run.
    const echoes: string[] = [];
    const app = { documents: [] as unknown[], echoToOE: (x: string) => echoes.push(x) };
    new Function('app', 'SolidColor', wrapScript('@t.1:', s))(app, function () {});
    expect(echoes.some((e) => e.includes('pwned') && !e.startsWith('@t.1:'))).toBe(false);
    expect(echoes[echoes.length - 1]).toBe('@t.1:$');
    expect(echoes[0]).toMatch(/^@t\.1:!.*was closed or resized/);
  });
});
