import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Panel } from '../../src/ui/Panel';
import { grayModels, memHost } from './memoryHost';

describe('Panel markup', () => {
  test('renders the Spectrum tags the hosts must provide, with remembered settings', () => {
    const store = { getItem: () => JSON.stringify({ mode: 'mosaic', grow: 12, variations: 2 }), setItem: () => {} };
    const html = renderToStaticMarkup(<Panel host={memHost([])} models={grayModels()} store={store} />);
    for (const tag of ['sp-button', 'sp-slider', 'sp-radio-group', 'sp-radio', 'sp-checkbox', 'sp-body', 'sp-detail', 'sp-label']) expect(html).toContain(`<${tag}`);
    expect(html).toContain('Inpaint selection');
    expect(html).toContain('Inpaint all open documents');
    expect(html).toContain('Grow selection by 12 px');
    expect(html).toMatch(/<sp-radio value="mosaic" checked="">|<sp-radio value="mosaic" checked="true">/);
    // idle: no progress bar, no Cancel; disabled attribute absent rather than "false" — except the
    // screentone option, which mosaic mode does not use
    expect(html).not.toContain('sp-progressbar');
    expect(html.match(/disabled/g)).toEqual(['disabled']);
    expect(html).toMatch(/<sp-checkbox disabled="[^"]*">Restore screentone/);
  });

  test('the screentone option shows the remembered choice and is enabled outside mosaic mode', () => {
    const store = { getItem: () => JSON.stringify({ mode: 'holes', texture: 'auto' }), setItem: () => {} };
    const html = renderToStaticMarkup(<Panel host={memHost([])} models={grayModels()} store={store} />);
    expect(html).toMatch(/<sp-checkbox checked="[^"]*">Restore screentone/);
    expect(html).not.toContain('disabled');
  });

  test('showBatch=false hides the batch button', () => {
    const html = renderToStaticMarkup(<Panel host={memHost([])} models={grayModels()} showBatch={false} />);
    expect(html).not.toContain('Inpaint all open documents');
  });
});
