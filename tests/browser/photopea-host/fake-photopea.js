/*
 * A TEST HOST that stands in for Photopea (no real Photopea is reachable offline). It embeds the
 * plugin page in an iframe and answers it the way Photopea's documented live-messaging API does
 * (shared photopea.md §1-2): every string from the plugin is run as a script against a small
 * Photoshop-style DOM (app.documents, activeDocument, layers, LayerSet, artLayers.add, selection
 * bounds/fill, saveToOE("png") -> ArrayBuffer, app.echoToOE -> string, app.open(url, null, true)
 * -> smart object placed centred AFTER the script ends, rasterize, translate), followed by "done".
 * It also behaves as badly as the field reports say Photopea does:
 *   - extra "done" messages, sometimes BEFORE the script's own output; "MSFAPI#" pings;
 *   - a fatal script error (or ES6 syntax, which Photopea's interpreter rejects) ends the script silently;
 *   - no "done" after an app.open placement; layer.bounds reports the selection bounds while a selection
 *     is active (astria's Photopea-30 note);
 *   - a FOREIGN window (a sibling iframe) that sees every request tag and forges replies to the plugin
 *     (premature end markers, fake values), plus odd message shapes from the parent itself.
 * The test (tests/browser/photopea.test.ts) inspects window.__pp afterwards.
 */
(function () {
  'use strict';
  let nextId = 100;
  const LayerKind = { NORMAL: 1, SMARTOBJECT: 2, TEXT: 3 };
  const RasterizeType = { ENTIRELAYER: 'entire' };
  const SelectionType = { REPLACE: 'SelectionType.REPLACE', EXTEND: 'SelectionType.EXTEND' };
  // Photoshop DOM blend modes (the enum's string values); only these are simulated.
  const BlendMode = { NORMAL: 'BlendMode.NORMAL', COLOR: 'BlendMode.COLOR', MULTIPLY: 'BlendMode.MULTIPLY' };

  function SolidColor() {
    this.rgb = { red: 0, green: 0, blue: 0 };
  }

  class ArtLayer {
    constructor(doc, name, pixels) {
      this.doc = doc;
      this.id = nextId++;
      this.name = name;
      this.visible = true;
      this.opacity = 100;
      this.blendMode = BlendMode.NORMAL;
      this.typename = 'ArtLayer';
      this.kind = LayerKind.NORMAL;
      this.parent = doc;
      this.pixels = pixels || new Uint8ClampedArray(doc.width * doc.height * 4);
    }
    get bounds() {
      // Field report: while a selection is active, bounds report the selection's bounds.
      if (this.doc.selection.mask) return this.doc.selection.bounds;
      if (this.kind === LayerKind.SMARTOBJECT) return this.placedBox.slice();
      return opaqueBox(this.pixels, this.doc.width, this.doc.height);
    }
    remove() {
      const list = this.parent.layers;
      list.splice(list.indexOf(this), 1);
      if (this.doc.activeLayer === this) this.doc.activeLayer = list[0] || this.doc.layers[0] || null;
    }
    rasterize() {
      this.kind = LayerKind.NORMAL;
    }
    translate(dx, dy) {
      const { width: w, height: h } = this.doc;
      const out = new Uint8ClampedArray(w * h * 4);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const sx = x - dx;
          const sy = y - dy;
          if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
          out.set(this.pixels.subarray((sy * w + sx) * 4, (sy * w + sx) * 4 + 4), (y * w + x) * 4);
        }
      this.pixels = out;
    }
  }

  class LayerSet {
    constructor(doc, name) {
      this.doc = doc;
      this.id = nextId++;
      this.name = name;
      this.visible = true;
      this.opacity = 100;
      this.typename = 'LayerSet';
      this.parent = doc;
      this.layers = [];
    }
  }

  function opaqueBox(px, w, h) {
    let l = w, t = h, r = -1, b = -1;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        if (px[(y * w + x) * 4 + 3] > 0) {
          if (x < l) l = x;
          if (x > r) r = x;
          if (y < t) t = y;
          if (y > b) b = y;
        }
    return r < 0 ? [0, 0, 0, 0] : [l, t, r + 1, b + 1];
  }

  class Selection {
    constructor(doc) {
      this.doc = doc;
      this.mask = null; // Uint8Array doc-sized coverage 0..255, or null
    }
    get bounds() {
      if (!this.mask) return null;
      const { width: w, height: h } = this.doc;
      let l = w, t = h, r = -1, b = -1;
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          if (this.mask[y * w + x] > 0) {
            if (x < l) l = x;
            if (x > r) r = x;
            if (y < t) t = y;
            if (y > b) b = y;
          }
      return r < 0 ? null : [l, t, r + 1, b + 1];
    }
    deselect() {
      this.mask = null;
    }
    /** Polygon selection; only axis-aligned rectangles (corners on pixel corners) are simulated, REPLACE or EXTEND. */
    select(points, type, feather, antialias) {
      const xs = points.map((p) => p[0]);
      const ys = points.map((p) => p[1]);
      const l = Math.min(...xs), r = Math.max(...xs), t = Math.min(...ys), b = Math.max(...ys);
      const rect = points.length === 4 && points.every((p) => (p[0] === l || p[0] === r) && (p[1] === t || p[1] === b));
      if (!rect || [l, r, t, b].some((v) => v !== Math.round(v))) throw new Error('fake Photopea: only pixel-aligned rectangles are simulated');
      if (feather || antialias) throw new Error('fake Photopea: feather and anti-aliasing are not simulated');
      if (type !== SelectionType.REPLACE && type !== SelectionType.EXTEND) throw new Error('fake Photopea: only REPLACE and EXTEND are simulated');
      const { width: w, height: h } = this.doc;
      const m = type === SelectionType.EXTEND && this.mask ? this.mask : new Uint8Array(w * h);
      for (let y = Math.max(0, t); y < Math.min(h, b); y++) for (let x = Math.max(0, l); x < Math.min(w, r); x++) m[y * w + x] = 255;
      this.mask = m;
    }
    fill(color) {
      const L = this.doc.activeLayer;
      if (!L || L.typename !== 'ArtLayer' || !this.mask) throw new Error('fill: nothing to fill');
      const c = [color.rgb.red, color.rgb.green, color.rgb.blue];
      for (let i = 0; i < this.mask.length; i++) {
        const a = this.mask[i] / 255;
        if (a === 0) continue;
        const o = i * 4;
        const da = L.pixels[o + 3] / 255;
        const oa = a + da * (1 - a);
        for (let k = 0; k < 3; k++) L.pixels[o + k] = Math.round((c[k] * a + L.pixels[o + k] * da * (1 - a)) / oa);
        L.pixels[o + 3] = Math.round(oa * 255);
      }
    }
  }

  class Document {
    constructor(name, width, height) {
      this.name = name;
      this.width = width;
      this.height = height;
      this.typename = 'Document';
      this.layers = [];
      this.activeLayer = null;
      this.selection = new Selection(this);
      const doc = this;
      this.artLayers = {
        add() {
          const ref = doc.activeLayer;
          const parent = ref ? ref.parent : doc;
          const L = new ArtLayer(doc, `Layer ${parent.layers.length + 1}`);
          L.parent = parent;
          parent.layers.splice(ref ? parent.layers.indexOf(ref) : 0, 0, L);
          doc.activeLayer = L;
          return L;
        },
      };
    }
    saveToOE(fmt) {
      if (fmt !== 'png') throw new Error('fake host: only png');
      pending.files.push(encodePng(composite(this), this.width, this.height));
    }
  }

  function composite(doc) {
    const out = new Float64Array(doc.width * doc.height * 4);
    const draw = (list) => {
      for (let i = list.length - 1; i >= 0; i--) {
        const L = list[i];
        if (!L.visible) continue;
        if (L.typename === 'LayerSet') {
          draw(L.layers);
          continue;
        }
        const op = L.opacity / 100;
        for (let p = 0; p < out.length; p += 4) {
          const a = (L.pixels[p + 3] / 255) * op;
          if (a === 0) continue;
          const da = out[p + 3];
          const oa = a + da * (1 - a);
          for (let k = 0; k < 3; k++) out[p + k] = (L.pixels[p + k] * a + out[p + k] * da * (1 - a)) / oa;
          out[p + 3] = oa;
        }
      }
    };
    draw(doc.layers);
    const px = new Uint8ClampedArray(out.length);
    for (let p = 0; p < out.length; p += 4) {
      px[p] = Math.round(out[p]);
      px[p + 1] = Math.round(out[p + 1]);
      px[p + 2] = Math.round(out[p + 2]);
      px[p + 3] = Math.round(out[p + 3] * 255);
    }
    return px;
  }

  // PNG through a canvas: exact for alpha 0 and 255 (what the test documents and results use).
  function encodePng(px, w, h) {
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    c.getContext('2d').putImageData(new ImageData(px, w, h), 0, 0);
    const bin = atob(c.toDataURL('image/png').split(',')[1]);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes.buffer;
  }

  async function decodeImage(url) {
    const img = new Image();
    img.src = url;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
    ctx.drawImage(img, 0, 0);
    return { w: c.width, h: c.height, px: ctx.getImageData(0, 0, c.width, c.height).data };
  }

  // ---- app ----
  const state = {
    documents: [],
    active: null,
    log: { scripts: 0, silentDeaths: [], noiseDone: 0, forged: 0, odd: 0, placements: 0, echoes: 0, files: 0 },
  };
  let pending = { files: [], echoes: [] };
  const app = {
    get documents() {
      return state.documents;
    },
    get activeDocument() {
      if (!state.active) throw new Error('no active document');
      return state.active;
    },
    set activeDocument(d) {
      if (state.documents.indexOf(d) < 0) throw new Error('not a document');
      state.active = d;
    },
    echoToOE(s) {
      pending.echoes.push(String(s));
    },
    open(url, as, asSmart) {
      const doc = state.active;
      const ref = doc && doc.activeLayer;
      // Photopea finishes a placement after the script has ended (and sends no "done" for it).
      setTimeout(async () => {
        const { w, h, px } = await decodeImage(url);
        if (!asSmart) throw new Error('fake host: only asSmart placement is modelled');
        if (w > doc.width || h > doc.height) throw new Error('fake host: larger images would be fitted (scaled); the plugin must never send one');
        const pixels = new Uint8ClampedArray(doc.width * doc.height * 4);
        const ox = Math.floor((doc.width - w) / 2);
        const oy = Math.floor((doc.height - h) / 2);
        for (let y = 0; y < h; y++) pixels.set(px.subarray(y * w * 4, (y + 1) * w * 4), ((y + oy) * doc.width + ox) * 4);
        const L = new ArtLayer(doc, 'Placed image', pixels);
        L.kind = LayerKind.SMARTOBJECT;
        L.placedBox = [ox, oy, ox + w, oy + h];
        const parent = ref ? ref.parent : doc;
        L.parent = parent;
        parent.layers.splice(ref ? parent.layers.indexOf(ref) : 0, 0, L);
        doc.activeLayer = L;
        state.log.placements++;
      }, 250);
    },
  };

  // ---- messaging ----
  const ES5_ONLY = [/=>/, /`/, /\blet\s/, /\bconst\s/, /\.\.\.[A-Za-z_$[]/, /\bclass\s/];
  let rng = 7;
  const chance = (p) => ((rng = (rng * 1103515245 + 12345) >>> 0) / 4294967296) < p;
  let plugin = null; // the plugin iframe's window
  let forger = null; // the foreign sibling iframe's window

  function post(data) {
    if (data instanceof ArrayBuffer) plugin.postMessage(data, '*', [data]);
    else plugin.postMessage(data, '*');
  }
  function noise() {
    if (chance(0.5)) {
      state.log.noiseDone++;
      post('done');
    }
    if (chance(0.2)) post('MSFAPI#ping');
  }

  window.addEventListener('message', (e) => {
    if (!plugin || e.source !== plugin) return;
    const script = e.data;
    if (typeof script !== 'string') return; // binary from a plugin would open a new document (not used)
    state.log.scripts++;
    const tag = (/^var __t="([^"]+)"/.exec(script) || [])[1];
    if (tag && forger) forger.postMessage({ tag }, '*'); // the foreign window learns the tag and forges replies
    pending = { files: [], echoes: [] };
    let died = null;
    for (const re of ES5_ONLY) if (re.test(script)) died = `ES6 syntax ${re} is not supported by Photopea's interpreter`;
    if (!died) {
      try {
        new Function('app', 'SolidColor', 'LayerKind', 'RasterizeType', 'BlendMode', 'SelectionType', script)(app, SolidColor, LayerKind, RasterizeType, BlendMode, SelectionType);
      } catch (err) {
        died = String(err && err.stack ? err.stack : err);
      }
    }
    if (died) {
      state.log.silentDeaths.push(died); // Photopea: no output, no "done"
      return;
    }
    const { echoes, files } = pending;
    state.log.echoes += echoes.length;
    state.log.files += files.length;
    // Reply a little later, so the foreign window's forgeries arrive first.
    setTimeout(() => {
      noise(); // "done" may arrive before the script's own output
      const endMarker = echoes.length && echoes[echoes.length - 1].endsWith(':$') ? echoes.pop() : null;
      for (const s of echoes) post(s);
      for (const f of files) post(f);
      if (chance(0.3)) {
        state.log.odd++;
        post({ type: 'not-a-photopea-message' });
        post(12345);
        post(null);
      }
      if (endMarker) post(endMarker);
      post('done');
      noise();
    }, 30);
  });

  // ---- test API ----
  function b64ToBytes(b64) {
    const bin = atob(b64);
    const u = new Uint8ClampedArray(bin.length);
    for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
    return u;
  }
  function bytesToB64(u) {
    let s = '';
    for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
    return btoa(s);
  }
  function walk(list, out) {
    for (const L of list) {
      out.push(L);
      if (L.typename === 'LayerSet') walk(L.layers, out);
    }
    return out;
  }

  window.__pp = {
    state,
    app,
    /** The script globals, for running scripts against this DOM without the iframe (tests/photopea). */
    globals: { SolidColor, LayerKind, RasterizeType, BlendMode, SelectionType },
    /** spec: {name, width, height, layers: [{name, rgba (base64 RGBA) | group: true, layers: [...]}] (top first), active: layer name, selection: base64 coverage or null} */
    addDocument(spec) {
      const doc = new Document(spec.name, spec.width, spec.height);
      const build = (parent, list) => {
        for (const l of list) {
          let L;
          if (l.group) {
            L = new LayerSet(doc, l.name);
            build(L, l.layers || []);
          } else L = new ArtLayer(doc, l.name, l.rgba ? b64ToBytes(l.rgba) : null);
          if (l.visible === false) L.visible = false;
          L.parent = parent;
          parent.layers.push(L);
          if (l.name === spec.active) doc.activeLayer = L;
        }
      };
      build(doc, spec.layers);
      if (!doc.activeLayer) doc.activeLayer = doc.layers[0];
      if (spec.selection) doc.selection.mask = new Uint8Array(b64ToBytes(spec.selection));
      state.documents.push(doc);
      state.active = doc;
      return state.documents.length - 1;
    },
    activate(i) {
      state.active = state.documents[i];
    },
    activeIndex() {
      return state.documents.indexOf(state.active);
    },
    /** Layer tree of document i: [{name, id, kind, visible, depth, parent}] top first. */
    tree(i) {
      return walk(state.documents[i].layers, []).map((L) => ({
        name: L.name,
        id: L.id,
        typename: L.typename,
        kind: L.kind,
        blendMode: L.blendMode,
        visible: L.visible,
        parent: L.parent.name,
        active: state.documents[i].activeLayer === L,
      }));
    },
    pixels(i, name, nth) {
      const L = walk(state.documents[i].layers, []).filter((x) => x.name === name)[nth || 0];
      return L ? bytesToB64(L.pixels) : null;
    },
    selection(i) {
      const m = state.documents[i].selection.mask;
      return m ? bytesToB64(new Uint8ClampedArray(m.buffer)) : null;
    },
    /** Creates the plugin iframe (and the foreign sibling) and starts the conversation. */
    mount(pluginUrl) {
      const f = document.getElementById('plugin');
      const foreign = document.getElementById('foreign');
      f.src = pluginUrl;
      plugin = f.contentWindow;
      forger = foreign.contentWindow;
      // The foreign window knows where the plugin is and forges replies to every request it hears of.
      forger.postMessage({ target: 'plugin' }, '*');
    },
    render() {
      const doc = state.active;
      const c = document.getElementById('view');
      if (!doc) return;
      c.width = doc.width;
      c.height = doc.height;
      c.getContext('2d').putImageData(new ImageData(composite(doc), doc.width, doc.height), 0, 0);
      document.getElementById('tabs').textContent = state.documents.map((d) => (d === doc ? `[${d.name}]` : d.name)).join('   ');
      document.getElementById('layers').textContent = walk(doc.layers, [])
        .map((L) => `${L === doc.activeLayer ? '▸ ' : '  '}${L.visible ? '[v] ' : '[ ] '}${L.name}${L.typename === 'LayerSet' ? '/' : ''}`)
        .join('\n');
    },
  };
})();
