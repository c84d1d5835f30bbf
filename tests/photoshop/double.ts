/**
 * A typed in-memory double of the `photoshop`, `uxp` and `fs` modules, covering exactly the calls the
 * adapter makes (src/hosts/photoshop/api.ts), and following the documented behaviour
 * (/work/shared/docs/uxp-photoshop.md):
 * - getPixels returns only the layer's non-empty area (trimmed bounds), placed by sourceBounds;
 *   asked for sourceBounds, the part of them that holds the layer's pixels (every call is recorded
 *   in `pixelReads`, with the bounds asked for and returned); RGBA layers have 4 components, the
 *   Background layer 3 (gray documents: 2 / 1);
 * - getSelection returns the selection's box, or the part of `sourceBounds` inside it (recorded);
 * - 16-bit data is 0..32768; selections are one gray component (8-bit by default, 16-bit optional);
 * - anything that changes a document needs executeAsModal, and throws after the user cancels;
 * - every change outside a history suspension is its own history state; a suspension that changed
 *   something becomes one state on commit, and is undone on rollback (also on exit by throwing);
 * - image data must be disposed (live ones are counted).
 * Typed arrays are made with the constructors given (the vm sandbox passes its own realm's).
 */
import * as nodeFs from 'fs';
import * as nodePath from 'path';
import type {
  PhotoshopApi,
  PsBounds,
  PsDocument,
  PsExecutionContext,
  PsImageData,
  PsImaging,
  PsLayer,
  UxpFs,
  UxpModule,
} from '../../src/hosts/photoshop/api';

export const LayerKind = { NORMAL: 'pixel', GROUP: 'group', TEXT: 'text', SMARTOBJECT: 'smartObject', CURVES: 'curves' } as const;
export const DocumentMode = {
  RGB: 'RGBColorMode',
  GRAYSCALE: 'grayscaleMode',
  CMYK: 'CMYKColorMode',
  LAB: 'labColorMode',
  BITMAP: 'bitmapMode',
  INDEXEDCOLOR: 'indexedColorMode',
  DUOTONE: 'duotoneMode',
  MULTICHANNEL: 'multichannelMode',
} as const;
export const BitsPerChannelType = { ONE: 'bitDepth1', EIGHT: 'bitDepth8', SIXTEEN: 'bitDepth16', THIRTYTWO: 'bitDepth32' } as const;
export const BlendMode = { NORMAL: 'normal', COLOR: 'color', MULTIPLY: 'multiply' } as const;
export const ElementPlacement = { PLACEBEFORE: 'placeBefore', PLACEAFTER: 'placeAfter', PLACEATBEGINNING: 'placeAtBeginning', PLACEATEND: 'placeAtEnd', PLACEINSIDE: 'placeInside' } as const;

export interface TypedCtors {
  Uint8Array: Uint8ArrayConstructor;
  Uint16Array: Uint16ArrayConstructor;
  Float32Array: Float32ArrayConstructor;
}

type Buf = Uint8Array | Uint16Array;

let nextId = 100;

/** Thrown by the double where Photoshop would throw; `number` mirrors PS error numbers where known. */
export class PsError extends Error {
  constructor(
    message: string,
    readonly number = 0,
  ) {
    super(message);
  }
}

export class FakeLayer implements PsLayer {
  readonly id = nextId++;
  kind: string;
  visible = true;
  allLocked = false;
  pixelsLocked = false;
  /** Full-document pixels at the document's depth: RGBA (gray: GA). Background layers are opaque. */
  pixels: Buf;
  blendMode: string = BlendMode.NORMAL;

  constructor(
    readonly doc: FakeDocument,
    public name: string,
    opts: { kind?: string; background?: boolean } = {},
  ) {
    this.kind = opts.kind ?? LayerKind.NORMAL;
    this.isBackgroundLayer = opts.background ?? false;
    this.pixels = doc.newBuffer(doc.width * doc.height * doc.layerChannels);
    if (this.isBackgroundLayer) for (let i = doc.layerChannels - 1; i < this.pixels.length; i += doc.layerChannels) this.pixels[i] = doc.maxValue;
  }

  readonly isBackgroundLayer: boolean;

  get boundsNoEffects(): PsBounds {
    const { width, height, layerChannels: c } = this.doc;
    if (this.isBackgroundLayer) return { left: 0, top: 0, right: width, bottom: height };
    let l = width, t = height, r = 0, b = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (this.pixels[(y * width + x) * c + c - 1] === 0) continue;
        l = Math.min(l, x);
        t = Math.min(t, y);
        r = Math.max(r, x + 1);
        b = Math.max(b, y + 1);
      }
    }
    return r === 0 ? { left: 0, top: 0, right: 0, bottom: 0 } : { left: l, top: t, right: r, bottom: b };
  }

  /** Test helper: paint a rectangle (document coordinates) with one colour, alpha = full. */
  fill(rect: { left: number; top: number; width: number; height: number }, colour: readonly number[]): this {
    const { width, layerChannels: c, maxValue } = this.doc;
    for (let y = rect.top; y < rect.top + rect.height; y++) {
      for (let x = rect.left; x < rect.left + rect.width; x++) {
        const o = (y * width + x) * c;
        for (let k = 0; k < c - 1; k++) this.pixels[o + k] = colour[k] ?? colour[0];
        this.pixels[o + c - 1] = maxValue;
      }
    }
    return this;
  }

  /** Test helper: a deterministic texture over a rectangle. */
  texture(rect: { left: number; top: number; width: number; height: number }, seed = 1): this {
    const { width, layerChannels: c, maxValue } = this.doc;
    for (let y = rect.top; y < rect.top + rect.height; y++) {
      for (let x = rect.left; x < rect.left + rect.width; x++) {
        const o = (y * width + x) * c;
        for (let k = 0; k < c - 1; k++) this.pixels[o + k] = Math.floor((((x * 31 + y * 17 + k * 59 + seed * 7) % 97) / 96) * maxValue);
        this.pixels[o + c - 1] = maxValue;
      }
    }
    return this;
  }

  move(relativeObject: PsLayer, insertLocation: string): void {
    this.doc.ps.requireModal('Layer.move');
    const list = this.doc.layers;
    const rel = relativeObject as FakeLayer;
    if (!list.includes(rel)) throw new PsError('move: the relative layer is not in this document');
    // Photoshop keeps the Background at the bottom: it cannot move, nothing goes below it
    if (this.isBackgroundLayer || (rel.isBackgroundLayer && insertLocation === ElementPlacement.PLACEAFTER)) throw new PsError('move: the Background layer stays at the bottom');
    if (insertLocation !== ElementPlacement.PLACEBEFORE && insertLocation !== ElementPlacement.PLACEAFTER) throw new PsError(`move: placement ${insertLocation} not simulated`);
    list.splice(list.indexOf(this), 1);
    const at = list.indexOf(rel) + (insertLocation === ElementPlacement.PLACEAFTER ? 1 : 0);
    list.splice(at, 0, this);
    this.doc.changed(`Move ${this.name}`);
  }
}

interface DocState {
  layers: { layer: FakeLayer; name: string; pixels: Buf; visible: boolean }[];
  active: FakeLayer[];
  selection: Uint8Array | null;
}

export class FakeDocument implements PsDocument {
  readonly id = nextId++;
  /** Top → bottom. */
  layers: FakeLayer[] = [];
  active: FakeLayer[] = [];
  /** Document-sized selection, 0..255, or null. */
  selectionChannel: Uint8Array | null = null;
  /** Names of history states, oldest first. */
  readonly history: string[] = ['Open'];
  suspension: { id: number; name: string; dirty: boolean; saved: DocState } | null = null;

  constructor(
    readonly ps: PhotoshopDouble,
    readonly title: string,
    readonly width: number,
    readonly height: number,
    readonly mode: string = DocumentMode.RGB,
    readonly bitsPerChannel: string = BitsPerChannelType.EIGHT,
  ) {}

  get gray(): boolean {
    return this.mode === DocumentMode.GRAYSCALE;
  }
  get layerChannels(): number {
    return this.gray ? 2 : 4;
  }
  get maxValue(): number {
    return this.bitsPerChannel === BitsPerChannelType.SIXTEEN ? 32768 : 255;
  }
  newBuffer(n: number): Buf {
    return this.bitsPerChannel === BitsPerChannelType.SIXTEEN ? new this.ps.typed.Uint16Array(n) : new this.ps.typed.Uint8Array(n);
  }

  get activeLayers(): ArrayLike<PsLayer> {
    return this.active;
  }

  get selection(): { readonly bounds: PsBounds | null } {
    const s = this.selectionChannel;
    const { width, height } = this;
    return {
      get bounds() {
        if (!s) return null;
        let l = width, t = height, r = 0, b = 0;
        for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (s[y * width + x]) {
          l = Math.min(l, x); t = Math.min(t, y); r = Math.max(r, x + 1); b = Math.max(b, y + 1);
        }
        return r === 0 ? null : { left: l, top: t, right: r, bottom: b };
      },
    };
  }

  /** Test helper: adds a layer on top and makes it active. */
  addLayer(name: string, opts: { kind?: string; background?: boolean } = {}): FakeLayer {
    const layer = new FakeLayer(this, name, opts);
    if (opts.background) this.layers.push(layer);
    else this.layers.unshift(layer);
    this.active = [layer];
    return layer;
  }

  /** Test helper: rectangular selection with value `v` (255 = fully selected). */
  select(rect: { left: number; top: number; width: number; height: number }, v = 255): this {
    const s = this.selectionChannel ?? new Uint8Array(this.width * this.height);
    for (let y = Math.max(0, rect.top); y < Math.min(this.height, rect.top + rect.height); y++)
      for (let x = Math.max(0, rect.left); x < Math.min(this.width, rect.left + rect.width); x++) s[y * this.width + x] = v;
    this.selectionChannel = s;
    return this;
  }

  async createPixelLayer(options: { name?: string; blendMode?: string } = {}): Promise<PsLayer | null> {
    this.ps.requireModal('createPixelLayer');
    this.ps.requireActive(this, 'createPixelLayer');
    const layer = new FakeLayer(this, options.name ?? `Layer ${this.layers.length + 1}`);
    if (options.blendMode !== undefined) {
      if (!(Object.values(BlendMode) as string[]).includes(options.blendMode)) throw new PsError(`createPixelLayer: unknown blendMode ${options.blendMode}`);
      layer.blendMode = options.blendMode;
    }
    // Photoshop creates a new layer directly above the active layer and makes it active.
    const above = this.active[0];
    this.layers.splice(above ? this.layers.indexOf(above) : 0, 0, layer);
    this.active = [layer];
    this.changed('New Layer');
    return layer;
  }

  saveState(): DocState {
    return {
      layers: this.layers.map((layer) => ({ layer, name: layer.name, pixels: layer.pixels.slice(), visible: layer.visible })),
      active: [...this.active],
      selection: this.selectionChannel ? this.selectionChannel.slice() : null,
    };
  }

  restoreState(s: DocState): void {
    this.layers = s.layers.map((e) => {
      e.layer.name = e.name;
      e.layer.pixels = e.pixels;
      e.layer.visible = e.visible;
      return e.layer;
    });
    this.active = s.active;
    this.selectionChannel = s.selection;
  }

  changed(what: string): void {
    if (this.suspension) this.suspension.dirty = true;
    else this.history.push(what);
  }

  /** Everything a user could see, for before/after comparisons (layer content by value). */
  snapshot(): { layers: { id: number; name: string; kind: string; visible: boolean; locked: boolean; bounds: PsBounds; pixels: number[] }[]; selection: number[] | null } {
    return {
      layers: this.layers.map((l) => ({ id: l.id, name: l.name, kind: l.kind, visible: l.visible, locked: l.allLocked || l.pixelsLocked, bounds: l.boundsNoEffects, pixels: Array.from(l.pixels) })),
      selection: this.selectionChannel ? Array.from(this.selectionChannel) : null,
    };
  }
}

class FakeImageData implements PsImageData {
  private disposed = false;
  constructor(
    private readonly ps: PhotoshopDouble,
    readonly data: Buf | Float32Array,
    readonly width: number,
    readonly height: number,
    readonly components: number,
    readonly colorSpace: string,
    readonly colorProfile: string,
  ) {
    ps.liveImageData.add(this);
  }
  get componentSize(): 8 | 16 | 32 {
    return this.data instanceof this.ps.typed.Float32Array ? 32 : this.data instanceof this.ps.typed.Uint16Array ? 16 : 8;
  }
  get hasAlpha(): boolean {
    return this.components === 2 || this.components === 4;
  }
  async getData(options: { chunky?: boolean; fullRange?: boolean }): Promise<Uint8Array | Uint16Array | Float32Array> {
    if (this.disposed) throw new PsError('getData after dispose');
    if (options.chunky === false || options.fullRange) throw new PsError('double: only chunky, default range is simulated');
    return this.data.slice();
  }
  async dispose(): Promise<void> {
    this.disposed = true;
    this.ps.liveImageData.delete(this);
  }
}

export interface ModalRecord {
  commandName: string;
  progress: { value?: number; commandName?: string }[];
  cancelled: boolean;
}

export interface PixelRead {
  layerID: number;
  asked: PsBounds | null;
  returned: PsBounds;
}

export class PhotoshopDouble {
  readonly documents: FakeDocument[] = [];
  /** Every getPixels call: the layer, the sourceBounds asked for (null: none) and returned. */
  readonly pixelReads: PixelRead[] = [];
  /** Every getSelection call: the sourceBounds asked for (null: none) and returned. */
  readonly selectionReads: { asked: PsBounds | null; returned: PsBounds }[] = [];
  activeDoc: FakeDocument | null = null;
  readonly liveImageData = new Set<FakeImageData>();
  readonly modals: ModalRecord[] = [];
  /** Depth of selections returned by getSelection (the doc leaves 16-bit unconfirmed). */
  selectionDepth: 8 | 16 = 8;
  private modal: { ctx: PsExecutionContext & { isCancelled: boolean }; record: ModalRecord; suspensions: Map<number, FakeDocument> } | null = null;
  private nextSuspension = 1;

  constructor(readonly typed: TypedCtors = { Uint8Array, Uint16Array, Float32Array }) {}

  openDocument(title: string, width: number, height: number, mode: string = DocumentMode.RGB, bits: string = BitsPerChannelType.EIGHT): FakeDocument {
    const d = new FakeDocument(this, title, width, height, mode, bits);
    this.documents.push(d);
    this.activeDoc = d;
    return d;
  }

  requireModal(what: string): void {
    if (!this.modal) throw new PsError(`${what}: this call modifies the document and must run inside executeAsModal`);
    if (this.modal.ctx.isCancelled) throw new PsError(`${what}: the modal state was cancelled by the user`);
  }

  requireActive(doc: FakeDocument, what: string): void {
    if (this.activeDoc !== doc) throw new PsError(`${what}: double only simulates DOM layer creation on the active document`);
  }

  /** Simulates the user pressing Cancel in Photoshop's progress dialog. */
  userCancels(): void {
    const m = this.modal;
    if (!m || m.ctx.isCancelled) return;
    m.ctx.isCancelled = true;
    m.record.cancelled = true;
    m.ctx.onCancel?.({ reason: 'user' });
  }

  get inModal(): boolean {
    return this.modal !== null;
  }

  private findDoc(id?: number): FakeDocument {
    const d = id === undefined || id < 0 ? this.activeDoc : this.documents.find((x) => x.id === id);
    if (!d) throw new PsError(`no document with id ${id}`);
    return d;
  }

  private findLayer(doc: FakeDocument, id?: number): FakeLayer {
    const l = doc.layers.find((x) => x.id === id);
    if (!l) throw new PsError(`no layer with id ${id} in ${doc.title}`);
    return l;
  }

  readonly imaging: PsImaging = {
    getPixels: async (o) => {
      const doc = this.findDoc(o.documentID);
      if (doc.mode !== DocumentMode.RGB && doc.mode !== DocumentMode.GRAYSCALE && doc.mode !== DocumentMode.LAB) throw new PsError(`getPixels: ${doc.mode} is not supported`);
      if (o.layerID === undefined) throw new PsError('double: composite reads are not simulated');
      const layer = this.findLayer(doc, o.layerID);
      const wantSpace = o.colorSpace ?? (doc.gray ? 'Grayscale' : 'RGB');
      if ((wantSpace === 'Grayscale') !== doc.gray) throw new PsError('double: colour-space conversion is not simulated');
      const depth = doc.bitsPerChannel === BitsPerChannelType.SIXTEEN ? 16 : 8;
      if (o.componentSize !== undefined && o.componentSize !== -1 && o.componentSize !== depth) throw new PsError('double: depth conversion is not simulated');
      let b = layer.boundsNoEffects; // trimmed to the layer's pixels
      if (o.sourceBounds) {
        const a = o.sourceBounds;
        if (!(a.right > a.left && a.bottom > a.top)) throw new PsError('getPixels: empty sourceBounds');
        b = { left: Math.max(b.left, a.left), top: Math.max(b.top, a.top), right: Math.min(b.right, a.right), bottom: Math.min(b.bottom, a.bottom) };
      }
      const w = b.right - b.left, h = b.bottom - b.top;
      if (w <= 0 || h <= 0) throw new PsError('getPixels: the layer has no pixels');
      this.pixelReads.push({ layerID: layer.id, asked: o.sourceBounds ? { ...o.sourceBounds } : null, returned: { ...b } });
      const c = doc.layerChannels;
      const outC = layer.isBackgroundLayer ? c - 1 : c;
      const out = doc.newBuffer(w * h * outC);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          for (let k = 0; k < outC; k++) out[(y * w + x) * outC + k] = layer.pixels[((b.top + y) * doc.width + b.left + x) * c + k];
      const imageData = new FakeImageData(this, out, w, h, outC, doc.gray ? 'Grayscale' : 'RGB', doc.gray ? 'Dot Gain 20%' : 'sRGB IEC61966-2.1');
      return { imageData, sourceBounds: { ...b }, level: 0 };
    },

    getSelection: async (o) => {
      const doc = this.findDoc(o.documentID);
      let b = doc.selection.bounds;
      if (!b || !doc.selectionChannel) throw new PsError('getSelection: there is no selection');
      if (o.sourceBounds) {
        const a = o.sourceBounds;
        b = { left: Math.max(b.left, a.left), top: Math.max(b.top, a.top), right: Math.min(b.right, a.right), bottom: Math.min(b.bottom, a.bottom) };
        if (!(b.right > b.left && b.bottom > b.top)) throw new PsError('double: a sourceBounds outside the selection is not simulated');
      }
      this.selectionReads.push({ asked: o.sourceBounds ? { ...o.sourceBounds } : null, returned: { ...b } });
      const w = b.right - b.left, h = b.bottom - b.top;
      const out = this.selectionDepth === 16 ? new this.typed.Uint16Array(w * h) : new this.typed.Uint8Array(w * h);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const v = doc.selectionChannel[(b.top + y) * doc.width + b.left + x];
          out[y * w + x] = this.selectionDepth === 16 ? Math.round((v / 255) * 32768) : v;
        }
      return { imageData: new FakeImageData(this, out, w, h, 1, 'Grayscale', 'Gray Gamma 2.2'), sourceBounds: { ...b } };
    },

    createImageDataFromBuffer: async (data, o) => {
      if (data.length !== o.width * o.height * o.components) throw new PsError(`createImageDataFromBuffer: length ${data.length} != ${o.width}*${o.height}*${o.components}`);
      if (o.chunky === false) throw new PsError('double: planar data is not simulated');
      return new FakeImageData(this, data.slice(), o.width, o.height, o.components, o.colorSpace, o.colorProfile ?? '');
    },

    putSelection: async (o) => {
      this.requireModal('putSelection');
      const doc = this.findDoc(o.documentID);
      const img = o.imageData as FakeImageData;
      if (!this.liveImageData.has(img)) throw new PsError('putSelection: image data was disposed');
      if (img.components !== 1 || img.colorSpace !== 'Grayscale') throw new PsError('putSelection: selections are one grey component');
      if (img.componentSize !== 8) throw new PsError('double: a 16-bit selection image is not simulated');
      if (o.replace === false) throw new PsError('double: replace:false is not simulated');
      const left = o.targetBounds?.left ?? 0, top = o.targetBounds?.top ?? 0;
      const s = new Uint8Array(doc.width * doc.height);
      for (let y = 0; y < img.height; y++) {
        const dy = top + y;
        if (dy < 0 || dy >= doc.height) continue;
        for (let x = 0; x < img.width; x++) {
          const dx = left + x;
          if (dx >= 0 && dx < doc.width) s[dy * doc.width + dx] = (img.data as Uint8Array)[y * img.width + x]!;
        }
      }
      doc.selectionChannel = s.some((v) => v > 0) ? s : null;
      doc.changed(o.commandName ?? 'Set Selection');
    },

    putPixels: async (o) => {
      this.requireModal('putPixels');
      const doc = this.findDoc(o.documentID);
      const layer = this.findLayer(doc, o.layerID);
      if (layer.kind !== LayerKind.NORMAL) throw new PsError('putPixels: the target must be a pixel layer');
      const img = o.imageData as FakeImageData;
      if (!this.liveImageData.has(img)) throw new PsError('putPixels: image data was disposed');
      const depth = doc.bitsPerChannel === BitsPerChannelType.SIXTEEN ? 16 : 8;
      if (img.componentSize !== depth) throw new PsError(`double: putPixels of ${img.componentSize}-bit data into a ${depth}-bit document is not simulated (unconfirmed in Photoshop)`);
      if ((img.colorSpace === 'Grayscale') !== doc.gray) throw new PsError('double: putPixels colour-space conversion is not simulated');
      const c = doc.layerChannels;
      if (img.components !== c && img.components !== c - 1) throw new PsError(`putPixels: ${img.components} components for a ${c}-channel layer`);
      const left = o.targetBounds?.left ?? 0, top = o.targetBounds?.top ?? 0;
      const src = img.data as Buf;
      if (o.replace === false) throw new PsError('double: replace:false is not simulated');
      for (let y = 0; y < img.height; y++) {
        const dy = top + y;
        if (dy < 0 || dy >= doc.height) continue;
        for (let x = 0; x < img.width; x++) {
          const dx = left + x;
          if (dx < 0 || dx >= doc.width) continue;
          const s = (y * img.width + x) * img.components, d = (dy * doc.width + dx) * c;
          for (let k = 0; k < c - 1; k++) layer.pixels[d + k] = src[s + k];
          layer.pixels[d + c - 1] = img.components === c ? src[s + c - 1] : doc.maxValue;
        }
      }
      doc.changed(o.commandName ?? 'Put Pixels');
    },
  };

  readonly core = {
    executeAsModal: async <T>(fn: (ctx: PsExecutionContext, descriptor?: object) => Promise<T>, options: { commandName: string }): Promise<T> => {
      if (!options || typeof options.commandName !== 'string') throw new PsError('executeAsModal: commandName is required');
      if (this.modal) return fn(this.modal.ctx); // nested calls share the modal state
      const record: ModalRecord = { commandName: options.commandName, progress: [], cancelled: false };
      this.modals.push(record);
      const suspensions = new Map<number, FakeDocument>();
      const ctx: PsExecutionContext & { isCancelled: boolean } = {
        isCancelled: false,
        onCancel: undefined,
        reportProgress: (p) => {
          if (p.value !== undefined && (p.value < 0 || p.value > 1)) throw new PsError('reportProgress: value must be in 0..1');
          record.progress.push({ ...p });
        },
        hostControl: {
          suspendHistory: async ({ documentID, name }) => {
            const doc = this.findDoc(documentID);
            if (doc.suspension) throw new PsError('suspendHistory: already suspended');
            const id = this.nextSuspension++;
            doc.suspension = { id, name, dirty: false, saved: doc.saveState() };
            suspensions.set(id, doc);
            return { historySuspensionID: id };
          },
          resumeHistory: async (s, commit = true) => {
            const doc = suspensions.get(s.historySuspensionID);
            if (!doc || !doc.suspension) throw new PsError('resumeHistory: unknown suspension');
            this.endSuspension(doc, commit, s.finalName);
            suspensions.delete(s.historySuspensionID);
          },
        },
      };
      this.modal = { ctx, record, suspensions };
      try {
        const r = await fn(ctx);
        for (const doc of suspensions.values()) this.endSuspension(doc, true);
        return r;
      } catch (e) {
        for (const doc of suspensions.values()) this.endSuspension(doc, false);
        throw e;
      } finally {
        this.modal = null;
      }
    },
  };

  private endSuspension(doc: FakeDocument, commit: boolean, finalName?: string): void {
    const s = doc.suspension!;
    doc.suspension = null;
    if (!commit) doc.restoreState(s.saved);
    else if (s.dirty) doc.history.push(finalName ?? s.name); // a state is created only if something changed
  }

  readonly app = (() => {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    return {
      get activeDocument(): PsDocument | null {
        return self.activeDoc;
      },
      set activeDocument(d: PsDocument | null) {
        self.requireModal('set activeDocument');
        if (!d || !self.documents.includes(d as FakeDocument)) throw new PsError('activeDocument: unknown document');
        self.activeDoc = d as FakeDocument;
      },
      get documents(): ArrayLike<PsDocument> {
        return [...self.documents];
      },
    };
  })();

  readonly constants = { LayerKind, DocumentMode, BitsPerChannelType, ElementPlacement, BlendMode };

  /** The `photoshop` module as the adapter sees it. */
  get module(): PhotoshopApi {
    return { app: this.app, core: this.core, imaging: this.imaging, constants: this.constants };
  }
}

/** `require('fs')` for plugin:/ paths, served from a folder on disk (the plugin folder). */
export function pluginFs(pluginDir: string, typed: { ArrayBuffer: ArrayBufferConstructor; Uint8Array: Uint8ArrayConstructor } = { ArrayBuffer, Uint8Array }): UxpFs & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async readFile(path: string, options?: { encoding?: string }) {
      reads.push(path);
      if (!path.startsWith('plugin:/')) throw new Error(`double fs: only plugin:/ paths are simulated (got ${path})`);
      const file = nodePath.join(pluginDir, path.slice('plugin:/'.length));
      const bytes = nodeFs.readFileSync(file);
      if (options?.encoding) return bytes.toString(options.encoding as BufferEncoding);
      const ab = new typed.ArrayBuffer(bytes.length);
      new typed.Uint8Array(ab).set(bytes);
      return ab;
    },
  };
}

/** `require('uxp')`: records what the plugin passes to entrypoints.setup. */
export function uxpDouble(): UxpModule & { setupCalls: object[] } {
  const setupCalls: object[] = [];
  return {
    setupCalls,
    entrypoints: {
      setup(config: object) {
        if (setupCalls.length) throw new Error('entrypoints.setup may be called only once');
        setupCalls.push(config);
      },
    },
  };
}
