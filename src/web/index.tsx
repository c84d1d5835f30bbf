/**
 * @file Entry point of dist/photopea/index.html. Inside an iframe (Photopea's plugin panel, or a
 * test host that speaks Photopea's protocol) it is the Photopea plugin; opened directly it is the
 * standalone editor. Everything it loads comes from its own folder: no CDN, no network at run time.
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import type { ModelRunner } from '../inference/types';
import { manifestUrlFromQuery, webModels } from './models';
import { PluginApp } from './plugin';
import { registerSpectrum } from './spectrum';
import { StandaloneApp } from './standalone/App';

function describe(r: ModelRunner): string {
  const threads = r.backend === 'wasm' ? (globalThis.crossOriginIsolated ? ', multi-threaded' : ', 1 thread (not cross-origin isolated)') : '';
  return `Model ${r.info.name} on ${r.backend}${threads}.`;
}

function Root({ inFrame }: { inFrame: boolean }): React.JSX.Element {
  const [backendInfo, setBackendInfo] = React.useState('The model loads on the first run (WebGPU if available, else WASM).');
  const models = React.useMemo(
    () =>
      webModels({
        manifestUrl: manifestUrlFromQuery(window.location.search),
        onLoaded: (r) => {
          setBackendInfo(describe(r));
          (window as unknown as { __inpaintBackend?: string }).__inpaintBackend = r.backend;
        },
      }),
    [],
  );
  return (
    <sp-theme system="spectrum" color="dark" scale="medium" style={{ display: 'block', minHeight: '100vh' }}>
      {inFrame ? <PluginApp models={models} backendInfo={backendInfo} /> : <StandaloneApp models={models} backendInfo={backendInfo} />}
    </sp-theme>
  );
}

registerSpectrum();
const inFrame = window.parent !== window;
document.body.classList.add(inFrame ? 'in-photopea' : 'standalone');
createRoot(document.getElementById('root')!).render(<Root inFrame={inFrame} />);
