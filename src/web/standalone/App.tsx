/**
 * @file The standalone page: open or drop an image, paint the area to fill with a brush (or use
 * pure-green paint already in the image: Green mode), then the shared Panel runs the job (its fill
 * in the page's Web Worker). Results are numbered ("Result 1", "Result 2", …) and shown composited
 * over the image; a fill that used the brush mask clears it (Undo mask, Ctrl+Z, brings it back);
 * Before/After compares, Download saves a PNG (lossless).
 */
import * as React from 'react';
import type { Channel, Raster } from '../../core/types';
import type { LayerPixels } from '../../contracts/host';
import type { JobModels } from '../../jobs';
import { Panel, defaultStore } from '../../ui';
import { MAX_MEGAPIXELS, checkDocumentSize } from '../../browser/limits';
import { encodePngRaster } from '../../browser/png';
import { applyLayer, decodeImageFile, toImageData } from '../../browser/raster-view';
import { StandaloneHost, type StandaloneImage } from './host';

interface Props {
  readonly models: JobModels;
  readonly backendInfo: string;
}

function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const baseName = (title: string) => title.replace(/\.[a-z0-9]+$/i, '') || 'image';

/** A copy of a canvas (for undo: no pixel read-back). */
function copyCanvas(c: HTMLCanvasElement): HTMLCanvasElement {
  const copy = document.createElement('canvas');
  copy.width = c.width;
  copy.height = c.height;
  copy.getContext('2d')!.drawImage(c, 0, 0);
  return copy;
}

/** Mask states kept for Undo mask (each a canvas the size of the image). */
const MASK_UNDO_DEPTH = 10;

export function StandaloneApp({ models, backendInfo }: Props): React.JSX.Element {
  const [image, setImage] = React.useState<StandaloneImage | null>(null);
  // A result is kept as what the job returned (the hole's box, transparent elsewhere): showing it
  // costs work in proportion to the hole; the whole picture is composed only to download or keep it.
  const [results, setResults] = React.useState<{ name: string; layer: LayerPixels }[]>([]);
  const [shown, setShown] = React.useState(0);
  const [view, setView] = React.useState<'before' | 'after'>('before');
  const [brush, setBrush] = React.useState(24);
  const [erase, setErase] = React.useState(false);
  const [message, setMessage] = React.useState<string>('');
  const [painted, setPainted] = React.useState(false);
  const [dragOver, setDragOver] = React.useState(false);
  const [canUndo, setCanUndo] = React.useState(false);
  // Colour hints for Colorize: strokes of `hintColour` on their own canvas, drawn while `hinting`.
  const [hinting, setHinting] = React.useState(false);
  const [hintColour, setHintColour] = React.useState('#d04030');
  const [hinted, setHinted] = React.useState(false);
  const hintCanvas = React.useRef<HTMLCanvasElement | null>(null);
  const hintUndo = React.useRef<HTMLCanvasElement[]>([]);
  const maskUndo = React.useRef<{ canvas: HTMLCanvasElement; painted: boolean }[]>([]);
  const paintedRef = React.useRef(false);
  paintedRef.current = painted;
  const resultCount = React.useRef(0);

  const canvasRef = React.useRef<HTMLCanvasElement>(null);
  const maskCanvas = React.useRef<HTMLCanvasElement | null>(null);
  const baseCanvas = React.useRef<HTMLCanvasElement | null>(null);
  const imageRef = React.useRef<StandaloneImage | null>(null);
  imageRef.current = image;
  const fileRef = React.useRef<HTMLInputElement>(null);
  const brushRef = React.useRef<HTMLElement>(null);

  const host = React.useMemo(
    () =>
      new StandaloneHost({
        image: () => imageRef.current,
        mask: () => hostMask(),
        setMask: (m: Channel) => showMask(m),
        onResult: (pixels: LayerPixels) => {
          const name = `Result ${++resultCount.current}`;
          const img = imageRef.current;
          if (!img) return name;
          setResults((prev) => {
            const next = [...prev, { name, layer: pixels }];
            setShown(next.length - 1);
            return next;
          });
          setView('after');
          return name;
        },
        onMaskUsed: () => clearMask(),
        hints: () => hostHints(),
      }),
    [],
  );

  const shownLayer = view === 'after' && results[shown] ? results[shown].layer : null;

  // Draw the picture into the base canvas when it changes (a new image, a kept result).
  React.useEffect(() => {
    const raster = image?.raster;
    if (!raster) return;
    const bc = baseCanvas.current ?? document.createElement('canvas');
    baseCanvas.current = bc;
    bc.width = raster.width;
    bc.height = raster.height;
    bc.getContext('2d')!.putImageData(toImageData(raster), 0, 0);
    redraw();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [image]);

  // The shown result, drawn over the picture: a canvas the size of the hole's box.
  const overlay = React.useRef<{ layer: LayerPixels; canvas: HTMLCanvasElement } | null>(null);
  React.useEffect(() => {
    if (!shownLayer) return;
    if (overlay.current?.layer !== shownLayer) {
      const oc = document.createElement('canvas');
      oc.width = shownLayer.raster.width;
      oc.height = shownLayer.raster.height;
      oc.getContext('2d')!.putImageData(toImageData(shownLayer.raster), 0, 0);
      overlay.current = { layer: shownLayer, canvas: oc };
    }
    redraw();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shownLayer]);

  function redraw(): void {
    const c = canvasRef.current;
    const bc = baseCanvas.current;
    const mc = maskCanvas.current;
    if (!c || !bc) return;
    if (c.width !== bc.width || c.height !== bc.height) {
      c.width = bc.width;
      c.height = bc.height;
    }
    const ctx = c.getContext('2d')!;
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.drawImage(bc, 0, 0);
    const ov = overlay.current;
    if (view === 'after' && ov && ov.layer === shownLayer) {
      // The result's pixels are opaque in the hole and transparent elsewhere (the download is composed exactly, applyLayer).
      ctx.drawImage(ov.canvas, ov.layer.left, ov.layer.top);
    }
    if (mc && view === 'before') {
      // Mask overlay: the mask canvas is painted red; only its alpha is the mask.
      ctx.globalAlpha = 0.55;
      ctx.drawImage(mc, 0, 0);
      ctx.globalAlpha = 1;
    }
    if (hintCanvas.current && view === 'before') ctx.drawImage(hintCanvas.current, 0, 0);
    const h = hover.current;
    if (h && view === 'before') {
      // Brush outline: dark and light rings so it shows on any picture.
      const px = c.width / Math.max(1, c.getBoundingClientRect().width);
      ctx.beginPath();
      ctx.arc(h.x, h.y, brush / 2, 0, Math.PI * 2);
      ctx.lineWidth = 3 * px;
      ctx.strokeStyle = 'rgba(0,0,0,0.6)';
      ctx.stroke();
      ctx.lineWidth = 1.2 * px;
      ctx.strokeStyle = erase ? '#9fd0ff' : '#ffffff';
      ctx.stroke();
    }
  }

  // Not after every render: a full-size redraw of a big picture is a long task, and the page
  // re-renders for things that do not change the picture (the backend line, the panel's progress).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  React.useEffect(redraw, [view, shown, results, painted, brush, erase]);

  async function openFile(file: File | undefined): Promise<void> {
    if (!file) return;
    setMessage('');
    try {
      const raster = await decodeImageFile(file);
      checkDocumentSize(file.name, raster.width, raster.height);
      const mc = document.createElement('canvas');
      mc.width = raster.width;
      mc.height = raster.height;
      maskCanvas.current = mc;
      const hc = document.createElement('canvas');
      hc.width = raster.width;
      hc.height = raster.height;
      hintCanvas.current = hc;
      hintUndo.current = [];
      setHinted(false);
      setBrush(Math.max(4, Math.round(Math.min(raster.width, raster.height) / 20)));
      setResults([]);
      resultCount.current = 0;
      maskUndo.current = [];
      setCanUndo(false);
      setView('before');
      setPainted(false);
      setImage({ title: file.name, raster });
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  }

  // Brush: pointer events on the display canvas, painted into the image-sized mask canvas.
  const last = React.useRef<{ x: number; y: number } | null>(null);
  function toImage(e: React.PointerEvent<HTMLCanvasElement>): { x: number; y: number } {
    const c = canvasRef.current!;
    const r = c.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * c.width, y: ((e.clientY - r.top) / r.height) * c.height };
  }
  function paint(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const mc = hinting ? hintCanvas.current : maskCanvas.current;
    if (!mc) return;
    const ctx = mc.getContext('2d', { willReadFrequently: true })!;
    ctx.globalCompositeOperation = erase ? 'destination-out' : 'source-over';
    ctx.strokeStyle = hinting ? hintColour : '#ff283c';
    ctx.lineWidth = brush;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x + 0.01, to.y);
    ctx.stroke();
    redraw();
  }
  const onDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!image) return;
    if (view === 'after') setView('before');
    if (hinting) rememberHints();
    else rememberMask();
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = toImage(e);
    last.current = p;
    paint(p, p);
    if (hinting) setHinted(true);
    else setPainted(true);
  };

  /** Keeps the colour hints as they are now, for Undo hint. */
  function rememberHints(): void {
    const hc = hintCanvas.current;
    if (!hc) return;
    hintUndo.current.push(copyCanvas(hc));
    if (hintUndo.current.length > MASK_UNDO_DEPTH) hintUndo.current.shift();
  }
  function undoHint(): void {
    const prev = hintUndo.current.pop();
    const hc = hintCanvas.current;
    if (!prev || !hc) return;
    const ctx = hc.getContext('2d', { willReadFrequently: true })!;
    ctx.clearRect(0, 0, hc.width, hc.height);
    ctx.drawImage(prev, 0, 0);
    setHinted(hintUndo.current.length > 0 || hostHints() !== null);
    redraw();
  }
  function clearHints(): void {
    const hc = hintCanvas.current;
    if (!hc) return;
    rememberHints();
    hc.getContext('2d', { willReadFrequently: true })!.clearRect(0, 0, hc.width, hc.height);
    setHinted(false);
    redraw();
  }
  /** The colour-hint strokes as RGBA (null when nothing is drawn). */
  function hostHints(): Raster | null {
    const hc = hintCanvas.current;
    if (!hc) return null;
    const id = hc.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, hc.width, hc.height);
    let any = false;
    for (let i = 3; i < id.data.length; i += 4) if (id.data[i]! > 0) {
      any = true;
      break;
    }
    return any ? { width: hc.width, height: hc.height, channels: 4, data: new Uint8Array(id.data.buffer.slice(0)), maxValue: 255 } : null;
  }
  const hover = React.useRef<{ x: number; y: number } | null>(null);
  const onMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    hover.current = toImage(e);
    if (!last.current) {
      redraw();
      return;
    }
    const p = toImage(e);
    paint(last.current, p);
    last.current = p;
  };
  const onUp = () => {
    last.current = null;
  };

  /** Keeps the mask as it is now for Undo mask (a canvas copy: no pixel read-back). */
  function rememberMask(): void {
    const mc = maskCanvas.current;
    if (!mc) return;
    maskUndo.current.push({ canvas: copyCanvas(mc), painted: paintedRef.current });
    if (maskUndo.current.length > MASK_UNDO_DEPTH) maskUndo.current.shift();
    setCanUndo(true);
  }

  /** Puts the last remembered mask back (a stroke undone, or a clear: by the button or after a fill). */
  function undoMask(): void {
    const prev = maskUndo.current.pop();
    const mc = maskCanvas.current;
    setCanUndo(maskUndo.current.length > 0);
    if (!prev || !mc) return;
    const ctx = mc.getContext('2d', { willReadFrequently: true })!;
    ctx.globalCompositeOperation = 'source-over';
    ctx.clearRect(0, 0, mc.width, mc.height);
    ctx.drawImage(prev.canvas, 0, 0);
    setPainted(prev.painted);
    setView('before');
    redraw();
  }

  /** Shows `m` as the brush mask (Select mosaics), undoably. */
  function showMask(m: Channel): void {
    const mc = maskCanvas.current;
    if (!mc || mc.width !== m.width || mc.height !== m.height) return;
    rememberMask();
    const ctx = mc.getContext('2d', { willReadFrequently: true })!;
    const id = ctx.createImageData(m.width, m.height);
    for (let i = 0; i < m.data.length; i++) {
      id.data[i * 4] = 0xff;
      id.data[i * 4 + 1] = 0x28;
      id.data[i * 4 + 2] = 0x3c;
      id.data[i * 4 + 3] = m.data[i]!;
    }
    ctx.putImageData(id, 0, 0);
    paintedRef.current = true;
    setPainted(true);
    setView('before');
    redraw();
  }

  function clearMask(): void {
    const mc = maskCanvas.current;
    if (!mc) return;
    if (paintedRef.current) rememberMask();
    mc.getContext('2d', { willReadFrequently: true })!.clearRect(0, 0, mc.width, mc.height);
    paintedRef.current = false;
    setPainted(false);
    redraw();
  }

  // Ctrl+Z / Cmd+Z: Undo mask.
  React.useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z' && maskUndo.current.length > 0) {
        e.preventDefault();
        undoMask();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function keepResult(): void {
    const r = results[shown];
    if (!image || !r) return;
    setImage({ title: image.title, raster: applyLayer(image.raster, r.layer) });
    setResults([]);
    setView('before');
    clearMask();
  }

  React.useEffect(() => {
    const el = brushRef.current;
    if (!el) return undefined;
    const fn = () => setBrush(Number((el as unknown as { value: number }).value));
    el.addEventListener('input', fn);
    el.addEventListener('change', fn);
    return () => {
      el.removeEventListener('input', fn);
      el.removeEventListener('change', fn);
    };
  }, [image]);

  const maskPng = (): Uint8Array | null => {
    const m = hostMask();
    return m ? encodePngRaster({ width: m.width, height: m.height, channels: 1, data: m.data, maxValue: 255 }) : null;
  };
  function hostMask(): Channel | null {
    const mc = maskCanvas.current;
    if (!mc) return null;
    const id = mc.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, mc.width, mc.height);
    const data = new Uint8Array(mc.width * mc.height);
    for (let i = 0; i < data.length; i++) data[i] = id.data[i * 4 + 3];
    return { width: mc.width, height: mc.height, data, maxValue: 255 };
  }

  const result = results[shown];
  return (
    <div className="app">
      <header className="bar">
        <strong className="brand">Inpaint</strong>
        <sp-button variant="primary" treatment="outline" size="s" id="open" onClick={() => fileRef.current?.click()}>
          Open image…
        </sp-button>
        <input ref={fileRef} id="file" type="file" accept="image/png,image/jpeg,image/webp" hidden onChange={(e) => void openFile(e.currentTarget.files?.[0])} />
        {image && (
          <>
            <div className="brush">
              <sp-slider ref={brushRef} id="brush" label={`Brush ${brush} px`} min="2" max="200" step="1" value={String(brush)} size="s"></sp-slider>
            </div>
            <sp-button
              size="s"
              variant="secondary"
              treatment={hinting ? 'fill' : 'outline'}
              id="hint-brush"
              title="Colour hints for Colorize: paint dots or short strokes of the colours you want"
              onClick={() => setHinting(!hinting)}
            >
              {hinting ? 'Painting colour hints' : 'Colour hints'}
            </sp-button>
            {hinting && (
              <>
                <input id="hint-colour" type="color" aria-label="Hint colour" value={hintColour} onChange={(e) => setHintColour(e.currentTarget.value)} />
                <sp-button size="s" variant="secondary" treatment="outline" id="undo-hint" onClick={undoHint}>
                  Undo hint
                </sp-button>
                <sp-button size="s" variant="secondary" treatment="outline" id="clear-hints" onClick={clearHints} disabled={hinted ? undefined : true}>
                  Clear hints
                </sp-button>
              </>
            )}
            <sp-button size="s" variant="secondary" treatment={erase ? 'fill' : 'outline'} id="erase" onClick={() => setErase(!erase)}>
              {erase ? 'Erasing' : 'Eraser'}
            </sp-button>
            <sp-button size="s" variant="secondary" treatment="outline" id="clear" onClick={clearMask} disabled={painted ? undefined : true}>
              Clear mask
            </sp-button>
            <sp-button size="s" variant="secondary" treatment="outline" id="undo-mask" onClick={undoMask} disabled={canUndo ? undefined : true} title="Ctrl+Z">
              Undo mask
            </sp-button>
            <span className="spacer" />
            {result && (
              <>
                <sp-button size="s" variant="secondary" treatment={view === 'before' ? 'fill' : 'outline'} id="compare" onClick={() => setView(view === 'after' ? 'before' : 'after')}>
                  {view === 'after' ? 'Show before' : 'Show after'}
                </sp-button>
                <sp-button size="s" variant="secondary" treatment="outline" id="keep" onClick={keepResult}>
                  Keep result
                </sp-button>
                <sp-button size="s" variant="accent" id="download" onClick={() => download(encodePngRaster(applyLayer(image.raster, result.layer)), `${baseName(image.title)}-inpainted.png`)}>
                  Download PNG
                </sp-button>
              </>
            )}
            <sp-button
              size="s"
              variant="secondary"
              treatment="outline"
              id="download-mask"
              onClick={() => {
                const b = maskPng();
                if (b) download(b, `${baseName(image.title)}-mask.png`);
              }}
            >
              Mask PNG
            </sp-button>
          </>
        )}
      </header>
      <main className="main">
        <section
          className={`stage${dragOver ? ' drag' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragOver(true);
          }}
          onDragLeave={() => setDragOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragOver(false);
            void openFile(e.dataTransfer.files[0]);
          }}
        >
          {image ? (
            <>
              <canvas
                ref={canvasRef}
                id="canvas"
                className={erase ? 'erase' : ''}
                style={{
                  // Fit the stage, scaling small pictures up and big ones down, keeping the aspect ratio.
                  aspectRatio: `${image.raster.width} / ${image.raster.height}`,
                  width: `min(100%, calc((100vh - 130px) * ${image.raster.width / image.raster.height}))`,
                  imageRendering: image.raster.width < 600 ? 'pixelated' : 'auto',
                }}
                onPointerDown={onDown}
                onPointerMove={onMove}
                onPointerUp={onUp}
                onPointerCancel={onUp}
                onPointerLeave={() => {
                  hover.current = null;
                  redraw();
                }}
              />
              <div className="caption">
                {image.title} — {image.raster.width}×{image.raster.height}
                {view === 'after' && result ? ` — showing ${result.name}` : view === 'before' && result ? ' — showing the original' : ''}
              </div>
            </>
          ) : (
            <div className="drop" onClick={() => fileRef.current?.click()}>
              <div className="drop-title">Drop an image here</div>
              <div>or click to open a PNG, JPEG or WebP (up to {MAX_MEGAPIXELS} megapixels).</div>
              <div className="hint">Paint over what should go, then press Inpaint selection. Everything runs in this page; nothing is uploaded.</div>
            </div>
          )}
          {message && (
            <div className="error" role="alert">
              {message}
            </div>
          )}
        </section>
        <aside className="side">
          <Panel host={host} models={models} store={defaultStore()} showBatch={false} />
          {results.length > 1 && (
            <div className="variations">
              {results.map((r, i) => (
                <sp-button key={i} size="s" variant="secondary" treatment={i === shown ? 'fill' : 'outline'} onClick={() => (setShown(i), setView('after'))}>
                  {r.name}
                </sp-button>
              ))}
            </div>
          )}
          <div className="help">
            <p>
              <b>Holes</b>: paint with the brush over what should be replaced. <b>Green paint</b>: the image already has pure #00FF00 paint marking the area. <b>Mosaic</b>: paint over a pixelated area.
            </p>
            <p>
              <b>Colorize</b>: a black-and-white page gets colour (its lines and tones stay as they are). To choose colours, press <b>Colour hints</b>, pick a colour and dab it where it belongs, then Colorize.
            </p>
            <p className="backend">{backendInfo}</p>
          </div>
        </aside>
      </main>
    </div>
  );
}
