/// <reference path="./spectrum.d.ts" />
/**
 * @file The shared inpainting panel (Photoshop UXP panel, Photopea plugin page, standalone page).
 * Talks only to a Host and a ModelProvider given as props. Uses sp-* tags; listeners are attached
 * through refs because React does not bind events on custom elements.
 */
import * as React from 'react';
import { JOB_MODES, MAX_GROW } from '../contracts/settings';
import type { JobModels } from '../jobs';
import { MAX_VARIATIONS } from '../pipeline/options';
import { modeHasStep } from '../pipeline/modes';
import type { Host } from '../contracts/host';
import { PanelController, type PanelState } from './controller';
import { isMode, type SettingsStore } from './settings';

export interface PanelProps {
  readonly host: Host;
  /** A ModelProvider (the fill runs in this thread) or a FillEngine (the pages: a Web Worker). */
  readonly models: JobModels;
  /** Where grow/mode/variations are remembered; pass `defaultStore()` for localStorage. */
  readonly store?: SettingsStore;
  /** Hide "Inpaint all open documents" for hosts with a single document. Default true. */
  readonly showBatch?: boolean;
  /**
   * A controller created outside React (Photoshop: so flyout-menu commands work before the panel is shown).
   * When given, host/models/store/onProgress are taken from it.
   */
  readonly controller?: PanelController;
  /** Progress (0..1) and status while a job runs, e.g. for Photoshop's own progress dialog. */
  readonly onProgress?: (fraction: number, status: string) => void;
  /** Called with the controller once, e.g. to cancel from outside (panel hide) or for tests. */
  readonly onController?: (c: PanelController) => void;
}

/**
 * Adds DOM listeners to a custom element (React 18 does not bind events on custom elements).
 * Re-attached after every render, so elements that appear later (Cancel while busy) get them too.
 */
function useDomEvent(ref: React.RefObject<HTMLElement>, names: readonly string[], handler: (e: Event) => void): void {
  const saved = React.useRef(handler);
  saved.current = handler;
  React.useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const fn = (e: Event) => saved.current(e);
    for (const n of names) el.addEventListener(n, fn);
    return () => {
      for (const n of names) el.removeEventListener(n, fn);
    };
  });
}

/** The value of a slider / radio group across UXP widgets (`.value`) and SWC (`.selected` on radio groups). */
function eventValue(e: Event): unknown {
  const t = (e.currentTarget ?? e.target) as { selected?: unknown; value?: unknown; querySelectorAll?: (s: string) => ArrayLike<Element> } | null;
  if (!t) return undefined;
  if (typeof t.selected === 'string' && t.selected) return t.selected;
  if (t.value !== undefined && t.value !== null && t.value !== '') return t.value;
  const radios = t.querySelectorAll?.('sp-radio') ?? [];
  for (let i = 0; i < radios.length; i++) {
    const r = radios[i] as Element & { checked?: boolean; value?: string };
    if (r.checked) return r.value ?? r.getAttribute('value');
  }
  return undefined;
}

/** Boolean attribute for custom elements: present when true, absent (undefined) when false. */
const flag = (b: boolean): true | undefined => (b ? true : undefined);

const STATUS_COLOURS: Record<PanelState['statusKind'], string> = {
  info: 'inherit',
  busy: 'inherit',
  ok: '#2d9d78',
  warn: '#e68619',
  error: '#e34850',
};

const MODES = [
  { value: 'holes', label: 'Holes (selection)' },
  { value: 'mosaic', label: 'Mosaic (selection)' },
  {
    value: 'green',
    label: 'Green paint (#00FF00)',
    help: 'Paint the area pure #00FF00 on the picture, or (Photoshop) on a new transparent layer above it and select that paint layer: the layer below is filled, the result goes above the paint layer, and no layer is changed',
  },
] as const;

export function Panel(props: PanelProps): React.ReactElement {
  const { host, models, store, showBatch = true, onController, onProgress } = props;
  const controllerRef = React.useRef<PanelController | null>(null);
  if (!controllerRef.current) controllerRef.current = props.controller ?? new PanelController({ host, models, store, onProgress });
  const controller = controllerRef.current;
  const [state, setState] = React.useState<PanelState>(controller.current);
  const s = state;

  React.useEffect(() => {
    setState(controller.current);
    const unsubscribe = controller.subscribe(setState);
    onController?.(controller);
    return () => {
      unsubscribe();
      // A panel-owned controller dies with the panel; an injected one keeps running (the host owns it).
      if (!props.controller) controller.cancel();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [controller, onController]);

  const runRef = React.useRef<HTMLElement>(null);
  const batchRef = React.useRef<HTMLElement>(null);
  const selectMosaicsRef = React.useRef<HTMLElement>(null);
  const colorizeRef = React.useRef<HTMLElement>(null);
  const colorizeAllRef = React.useRef<HTMLElement>(null);
  const cancelRef = React.useRef<HTMLElement>(null);
  const growRef = React.useRef<HTMLElement>(null);
  const variationsRef = React.useRef<HTMLElement>(null);
  const modeRef = React.useRef<HTMLElement>(null);
  const textureRef = React.useRef<HTMLElement>(null);

  useDomEvent(runRef, ['click'], () => void controller.inpaintSelection());
  useDomEvent(batchRef, ['click'], () => void controller.inpaintAll());
  useDomEvent(selectMosaicsRef, ['click'], () => void controller.selectMosaics());
  useDomEvent(colorizeRef, ['click'], () => void controller.colorizeLayer());
  useDomEvent(colorizeAllRef, ['click'], () => void controller.colorizeAll());
  useDomEvent(cancelRef, ['click'], () => controller.cancel());
  useDomEvent(growRef, ['input', 'change'], (e) => controller.setSettings({ grow: Number(eventValue(e)) }));
  useDomEvent(variationsRef, ['input', 'change'], (e) => controller.setSettings({ variations: Number(eventValue(e)) }));
  useDomEvent(textureRef, ['change'], (e) => controller.setSettings({ texture: (e.target as HTMLInputElement | null)?.checked ? 'auto' : 'off' }));
  useDomEvent(modeRef, ['change'], (e) => {
    const v = eventValue(e);
    if (isMode(v)) controller.setSettings({ mode: v });
  });

  const busy = s.busy !== null;
  const { grow, variations, mode, texture } = s.settings;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8, padding: 8 }}>
      <div>
        <sp-detail>MODE</sp-detail>
        <sp-radio-group ref={modeRef} column selected={mode} disabled={flag(busy)}>
          {MODES.map((m) => (
            <sp-radio key={m.value} value={m.value} checked={flag(m.value === mode)} title={'help' in m ? m.help : undefined}>
              {m.label}
            </sp-radio>
          ))}
        </sp-radio-group>
      </div>
      <div>
        <sp-slider ref={growRef} min="0" max={String(MAX_GROW)} step="1" value={String(grow)} disabled={flag(busy)}>
          <sp-label slot="label">Grow selection by {grow} px</sp-label>
        </sp-slider>
      </div>
      <div>
        <sp-slider ref={variationsRef} min="1" max={String(MAX_VARIATIONS)} step="1" value={String(variations)} disabled={flag(busy)}>
          <sp-label slot="label">Variations: {variations}</sp-label>
        </sp-slider>
      </div>
      <div>
        <sp-checkbox ref={textureRef} checked={flag(texture === 'auto')} disabled={flag(busy || !modeHasStep(JOB_MODES[mode].fill, 'texture'))}>
          Restore screentone (patch-based, slower)
        </sp-checkbox>
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        <sp-button ref={runRef} variant="cta" disabled={flag(busy)}>
          Inpaint selection
        </sp-button>
        {showBatch ? (
          <sp-button ref={batchRef} variant="secondary" disabled={flag(busy)}>
            Inpaint all open documents
          </sp-button>
        ) : null}
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        <sp-button ref={colorizeRef} variant="primary" disabled={flag(busy)} title='Colours the active layer as a new "Colorized" layer (Color blend mode); coloured dots on a layer named "Guide" steer the colours'>
          Colorize layer
        </sp-button>
        {showBatch ? (
          <sp-button ref={colorizeAllRef} variant="secondary" disabled={flag(busy)}>
            Colorize all open documents
          </sp-button>
        ) : null}
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        <sp-button ref={selectMosaicsRef} variant="secondary" disabled={flag(busy)} title="Finds the pixelated (mosaic) areas of the active layer and selects them; adjust the selection, then Inpaint in Mosaic mode">
          Select mosaics
        </sp-button>
      </div>
      {busy ? (
        <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          <sp-progressbar max="100" value={String(Math.round(s.progress * 100))} style={{ flex: 1 }}></sp-progressbar>
          <sp-button ref={cancelRef} variant="warning" quiet disabled={flag(s.cancelling)}>
            Cancel
          </sp-button>
        </div>
      ) : null}
      <sp-body role="status" size="S" style={{ color: STATUS_COLOURS[s.statusKind] }}>
        {s.status}
      </sp-body>
      {s.busy === null && s.lastBatch && s.reports.length > 0 ? (
        <ul style={{ margin: 0, paddingLeft: 16 }}>
          {s.reports.map((r, i) => (
            <li key={i}>
              <sp-detail>{r.status.toUpperCase()}</sp-detail> <sp-body size="S">{r.message}</sp-body>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
