/** The output formats of `cdk8s-hardened check`, by name. */
import { renderJson } from './json';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import type { CheckReport } from './model';
import { renderSarif } from './sarif';
import { renderText } from './text';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  /** ANSI colours in text output. */
  readonly color?: boolean;
}

export function render(format: Format, report: CheckReport, options: RenderOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(report, { color: options.color });
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report);
    case 'junit':
      return renderJunit(report);
    case 'markdown':
      return renderMarkdown(report);
  }
}

export type { CheckReport } from './model';
