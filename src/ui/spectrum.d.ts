/**
 * @file JSX typing for the Spectrum tags the panel renders. In UXP they are the built-in Spectrum UXP
 * widgets; in a browser the page registers Spectrum Web Components under the same names (see README.md).
 */
import type * as React from 'react';

type SpProps = React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement> & {
  [attr: string]: unknown;
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'sp-button': SpProps;
      'sp-slider': SpProps;
      'sp-radio-group': SpProps;
      'sp-radio': SpProps;
      'sp-checkbox': SpProps;
      'sp-progressbar': SpProps;
      'sp-body': SpProps;
      'sp-detail': SpProps;
      'sp-heading': SpProps;
      'sp-label': SpProps;
      'sp-divider': SpProps;
    }
  }
}
