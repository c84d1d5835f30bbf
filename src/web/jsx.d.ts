/** JSX typing for the Spectrum tags only the web pages use (the panel's own tags are in src/ui/spectrum.d.ts). */
import type * as React from 'react';

type SpProps = React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement> & { [attr: string]: unknown };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'sp-theme': SpProps;
    }
  }
}
