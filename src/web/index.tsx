/**
 * @file Entry point of dist/photopea/index.html. Inside an iframe (Photopea's plugin panel, or a
 * test host that speaks Photopea's protocol) it is the Photopea plugin; opened directly it is the
 * standalone editor. Everything it loads comes from its own folder: no CDN, no network at run time.
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { WorkerFill, manifestUrlFromQuery } from './fill-client';
import { PluginApp } from './plugin';
import { registerSpectrum } from './spectrum';
import { StandaloneApp } from './standalone/App';

function describe(name: string, backend: string): string {
  const threads = backend === 'wasm' ? (globalThis.crossOriginIsolated ? ', multi-threaded' : ', 1 thread (not cross-origin isolated)') : '';
  return `Model ${name} on ${backend === 'webgpu' ? 'WebGPU' : backend === 'wasm' ? 'WebAssembly' : backend}${threads}, in a background worker.`;
}

function Root({ inFrame }: { inFrame: boolean }): React.JSX.Element {
  const [backendInfo, setBackendInfo] = React.useState('The model loads on the first run, in a background worker (WebGPU if available, else WebAssembly).');
  const engine = React.useMemo(
    () =>
      new WorkerFill({
        workerUrl: new URL('worker.js', document.baseURI).href,
        config: {
          manifestUrl: new URL(manifestUrlFromQuery(window.location.search), document.baseURI).href,
          ortUrl: new URL('ort/', document.baseURI).href,
          backends: ['webgpu', 'wasm'],
        },
        onLoaded: (name, backend) => {
          setBackendInfo(describe(name, backend));
          (window as unknown as { __inpaintBackend?: string }).__inpaintBackend = backend;
        },
      }),
    [],
  );
  (window as unknown as { __inpaintEngine?: WorkerFill }).__inpaintEngine = engine;
  return (
    <sp-theme system="spectrum" color="dark" scale="medium" style={{ display: 'block', minHeight: '100vh' }}>
      {inFrame ? <PluginApp models={engine} backendInfo={backendInfo} codec={engine.pngCodec()} /> : <StandaloneApp models={engine} backendInfo={backendInfo} />}
    </sp-theme>
  );
}

registerSpectrum();
const inFrame = window.parent !== window;
document.body.classList.add(inFrame ? 'in-photopea' : 'standalone');
createRoot(document.getElementById('root')!).render(<Root inFrame={inFrame} />);
