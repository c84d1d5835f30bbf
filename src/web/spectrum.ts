/**
 * @file Registers Spectrum Web Components under the tag names the shared panel (src/ui) uses,
 * so the same markup renders in the browser as in Photoshop's UXP.
 * - sp-progressbar is UXP's name; SWC calls it sp-progress-bar: registered under both.
 * - sp-label / sp-body / sp-detail / sp-heading are UXP typography widgets; here they are small
 *   elements styled with Spectrum tokens. An <sp-label slot="label"> inside an sp-slider moves to
 *   the slider's default slot, which SWC renders as the slider's label.
 */
import '@spectrum-web-components/theme/sp-theme.js';
import '@spectrum-web-components/theme/theme-dark.js';
import '@spectrum-web-components/theme/scale-medium.js';
import '@spectrum-web-components/button/sp-button.js';
import '@spectrum-web-components/slider/sp-slider.js';
import '@spectrum-web-components/radio/sp-radio.js';
import '@spectrum-web-components/radio/sp-radio-group.js';
import '@spectrum-web-components/checkbox/sp-checkbox.js';
import '@spectrum-web-components/field-label/sp-field-label.js';
import '@spectrum-web-components/progress-bar/sp-progress-bar.js';
import { ProgressBar } from '@spectrum-web-components/progress-bar';

function define(name: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, ctor);
}

class TextElement extends HTMLElement {
  connectedCallback(): void {
    if (this.getAttribute('slot') === 'label' && this.parentElement?.localName === 'sp-slider') this.removeAttribute('slot');
  }
}

export function registerSpectrum(): void {
  define('sp-progressbar', class extends ProgressBar {});
  define('sp-label', class extends TextElement {});
  define('sp-body', class extends TextElement {});
  define('sp-detail', class extends TextElement {});
  define('sp-heading', class extends TextElement {});
  if (!document.getElementById('sp-typography')) {
    const style = document.createElement('style');
    style.id = 'sp-typography';
    style.textContent = `
      sp-body { display: block; font-size: var(--spectrum-font-size-100, 14px); line-height: 1.45; }
      sp-body[size="S"] { font-size: var(--spectrum-font-size-75, 12px); }
      sp-detail { font-size: 11px; font-weight: 700; letter-spacing: .06em; color: var(--spectrum-gray-700, #b0b0b0); }
      sp-heading { display: block; font-size: 16px; font-weight: 700; }
      sp-label { font-size: var(--spectrum-font-size-75, 12px); }
      sp-slider { width: 100%; }
    `;
    document.head.appendChild(style);
  }
}
