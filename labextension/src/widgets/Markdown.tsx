/**
 * Text from the course and the server (hints, misconception explanations, reasons) rendered as
 * markdown by JupyterLab's own renderer, as untrusted output: its sanitizer removes scripts,
 * event handlers and anything else raw HTML could smuggle in. Without a renderer the text is
 * shown as it is, never as HTML.
 */
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import * as React from 'react';

const MARKDOWN = 'text/markdown';

/** A rendered text: its node, and how to release it. */
export interface RenderedText {
  readonly node: HTMLElement;
  dispose(): void;
}

/** `source` rendered as sanitized markdown, or as plain text without a renderer. */
export async function renderMarkdown(
  rendermime: IRenderMimeRegistry | null,
  source: string
): Promise<RenderedText> {
  if (!rendermime || !rendermime.preferredMimeType({ [MARKDOWN]: source })) {
    const node = document.createElement('div');
    node.textContent = source;
    return { node, dispose: () => node.remove() };
  }
  const renderer = rendermime.createRenderer(MARKDOWN);
  await renderer.renderModel({
    trusted: false,
    data: { [MARKDOWN]: source },
    metadata: {},
    setData: () => undefined
  });
  return renderer;
}

/** Markdown text inline in a widget; `className` and `testid` mark its host element. */
export function Markdown(props: {
  rendermime: IRenderMimeRegistry | null;
  source: string;
  className?: string;
  testid?: string;
}): JSX.Element {
  const { rendermime, source, className, testid } = props;
  const host = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    const node = host.current;
    if (!node) {
      return;
    }
    let rendered: RenderedText | null = null;
    let stale = false;
    void renderMarkdown(rendermime, source).then(result => {
      if (stale) {
        result.dispose();
        return;
      }
      rendered = result;
      node.replaceChildren(result.node);
    });
    return () => {
      stale = true;
      rendered?.dispose();
    };
  }, [rendermime, source]);
  return (
    <div
      ref={host}
      className={`jp-adaptive-Markdown ${className ?? ''}`.trim()}
      data-testid={testid}
    />
  );
}
