/**
 * @file Photoshop UXP panel entry (bundled by build/webpack.photoshop.js into dist/photoshop/index.js,
 * loaded by index.html as a classic script). `photoshop`, `uxp` and `fs` come from UXP's own require().
 * Panel lifecycle handlers do no heavy work (UXP allows 300 ms): they only schedule the model's load,
 * which then runs in the background (reading, checking, compiling ONNX Runtime's WebAssembly, the
 * session), yielding to the event loop between its steps, so the first click finds it loaded.
 * UXP has no Worker: the load and the fill run on the plugin's JS thread; the pipeline yields
 * between steps (inference/tasks.ts), so Photoshop's Cancel is heard between them.
 */
import './polyfills'; // first: jobs/ need AbortController
import * as React from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { loadWebModel } from '../../inference/web-wasm';
import { modelKindForJob } from '../../contracts/settings';
import { Panel, PanelController, defaultStore } from '../../ui';
import type { PhotoshopApi, UxpFs, UxpModule } from './api';
import { PhotoshopHost } from './adapter';
import { uxpModels } from './models';

const ps = require('photoshop') as PhotoshopApi;
const uxp = require('uxp') as UxpModule;
const fs = require('fs') as UxpFs;

export const PANEL_ID = 'inpaintPanel';

const host = new PhotoshopHost(ps);
const models = uxpModels(fs, loadWebModel);
const controller = new PanelController({
  host,
  models,
  store: defaultStore(),
  onProgress: (fraction, status) => host.reportProgress(fraction, status),
});

host.onUserCancel = () => controller.cancel();

let root: Root | null = null;

let preloading = false;
/**
 * Loads the model of the panel's current mode once the lifecycle handler has returned. A failure is
 * not shown here: the first click loads again and reports it (lazyModels does not keep failures).
 */
function preload(): void {
  if (preloading) return;
  preloading = true;
  setTimeout(() => {
    models.get(modelKindForJob(controller.current.settings.mode)).catch(() => {
      preloading = false;
    });
  }, 0);
}

function mount(node: unknown): void {
  if (root) return;
  // Manifest v5 passes the panel's root node; v4 passed an event with .node.
  const el = ((node as { node?: unknown } | undefined)?.node ?? node) as HTMLElement | undefined;
  const parent = el && typeof el.appendChild === 'function' ? el : document.getElementById('root');
  if (!parent) return;
  const div = document.createElement('div');
  parent.appendChild(div);
  root = createRoot(div);
  root.render(<Panel host={host} models={models} controller={controller} />);
}

uxp.entrypoints.setup({
  panels: {
    [PANEL_ID]: {
      create(node: unknown) {
        preload();
        mount(node);
      },
      show(node: unknown) {
        preload();
        mount(node);
      },
      hide() {},
      destroy() {
        preloading = false;
        controller.cancel();
        root?.unmount();
        root = null;
        void models.dispose();
      },
      menuItems: [
        { id: 'inpaintSelection', label: 'Inpaint selection' },
        { id: 'inpaintAll', label: 'Inpaint all open documents' },
        { id: 'cancel', label: 'Cancel' },
      ],
      invokeMenu(id: string) {
        if (id === 'inpaintSelection') void controller.inpaintSelection();
        else if (id === 'inpaintAll') void controller.inpaintAll();
        else if (id === 'cancel') controller.cancel();
      },
    },
  },
});

/** For the UXP sandbox test and debugging from the UDT console: read-only view of the panel state. */
(globalThis as { __inpaintPanel?: unknown }).__inpaintPanel = { controller, host, models };
