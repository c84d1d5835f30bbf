/**
 * @file The page inside Photopea (an iframe whose parent is Photopea): connects the transport,
 * checks that Photopea answers, then shows the shared Panel over the Photopea host.
 */
import * as React from 'react';
import { PhotopeaHost, type PngCodec } from '../hosts/photopea/host';
import { PHOTOPEA_ORIGINS, PhotopeaTransport } from '../hosts/photopea/transport';
import type { JobModels } from '../jobs';
import { Panel, defaultStore } from '../ui';

/** Origins whose messages the plugin reads: Photopea's, plus this page's own (a same-origin test host). */
export function allowedOrigins(): string[] {
  return [...PHOTOPEA_ORIGINS, window.location.origin];
}

/** The embedding page's origin as far as the browser tells it. */
export function parentOrigin(): string | null {
  const ao = (window.location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ao && ao.length > 0) return ao[0];
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

type Conn = { state: 'connecting' } | { state: 'ready'; host: PhotopeaHost } | { state: 'failed'; message: string };

export function PluginApp({ models, backendInfo, codec }: { models: JobModels; backendInfo: string; codec?: PngCodec }): React.JSX.Element {
  const [conn, setConn] = React.useState<Conn>({ state: 'connecting' });
  React.useEffect(() => {
    const origin = parentOrigin();
    const allowed = allowedOrigins();
    if (origin && !allowed.includes(origin)) {
      setConn({
        state: 'failed',
        message: `This page is embedded by ${origin}, which is not Photopea, so it will not talk to it. Open it in Photopea (Window → Plugins) or directly in a browser tab for the standalone editor.`,
      });
      return undefined;
    }
    const transport = new PhotopeaTransport({ self: window, parent: window.parent, allowedOrigins: allowed, timeoutMs: 30000 });
    let alive = true;
    transport.ping(8000).then(
      () => alive && setConn({ state: 'ready', host: new PhotopeaHost(transport, { codec }) }),
      () =>
        alive &&
        setConn({
          state: 'failed',
          message: 'Photopea did not answer. Reload Photopea, then open the plugin again from Window → Plugins.',
        }),
    );
    return () => {
      alive = false;
      transport.dispose();
    };
  }, []);

  return (
    <div className="plugin">
      {conn.state === 'ready' && <Panel host={conn.host} models={models} store={defaultStore()} showBatch />}
      {conn.state === 'connecting' && <sp-body size="S">Connecting to Photopea…</sp-body>}
      {conn.state === 'failed' && (
        <sp-body size="S" role="alert" className="error">
          {conn.message}
        </sp-body>
      )}
      <p className="backend">{backendInfo}</p>
    </div>
  );
}
