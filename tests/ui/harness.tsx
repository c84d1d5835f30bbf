/**
 * Browser harness for dom.test.ts: the real Panel over an in-memory host, with minimal stand-ins for the
 * sp-* custom elements (value properties and events as the UXP widgets / SWC expose them).
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { Panel, defaultStore } from '../../src/ui';
import { lazyModels } from '../../src/inference/provider';
import { grayModels, memDoc, memHost } from './memoryHost';

class SpValue extends HTMLElement {
  get value(): string {
    return this.getAttribute('value') ?? '';
  }
  set value(v: string) {
    this.setAttribute('value', String(v));
  }
}
class SpRadioGroup extends HTMLElement {
  get value(): string {
    const r = Array.from(this.querySelectorAll('sp-radio')).find((x) => (x as SpRadio).checked) as SpRadio | undefined;
    return r?.value ?? '';
  }
}
class SpRadio extends SpValue {
  get checked(): boolean {
    return this.hasAttribute('checked');
  }
  set checked(b: boolean) {
    if (b) this.setAttribute('checked', '');
    else this.removeAttribute('checked');
  }
}
const stand: [string, typeof HTMLElement][] = [['sp-slider', SpValue], ['sp-progressbar', SpValue], ['sp-radio-group', SpRadioGroup], ['sp-radio', SpRadio]];
for (const [tag, cls] of stand) customElements.define(tag, class extends cls {});

const docs = [memDoc('first.png', 32, 24, { left: 4, top: 4, width: 6, height: 5 }), memDoc('second.png', 32, 24, null)];
const raw = grayModels({ delayMs: Number(new URLSearchParams(location.search).get('delay') ?? 0) });
const w = window as unknown as Record<string, unknown>;
w.__docs = docs;
w.__raw = raw;
createRoot(document.getElementById('root')!).render(<Panel host={memHost(docs)} models={lazyModels((k) => raw.get(k))} store={defaultStore()} />);
