/**
 * Check-in cells, as pure functions on nbformat data (jest specifies them): which cell asks for a
 * check-in, and how a question's cells are marked when they go into the notebook.
 */
import type * as nbformat from '@jupyterlab/nbformat';

import { gradedCell } from './events';

/** What a cell's `metadata.adaptive.check` asks for: a unit, or the whole course. */
export function checkScope(metadata: Record<string, unknown>): string | null {
  const adaptive = metadata.adaptive;
  if (adaptive === null || typeof adaptive !== 'object') {
    return null;
  }
  const check = (adaptive as Record<string, unknown>).check;
  return typeof check === 'string' && check !== '' ? check : null;
}

/**
 * A question's cells as they go into the notebook: part of the check `check`, and with the
 * output of its check cells collapsed (whether an answer was right is not shown until the end).
 */
export function checkCells(
  cells: readonly nbformat.ICell[],
  check: string
): nbformat.ICell[] {
  return cells.map(cell => {
    const metadata = { ...(cell.metadata ?? {}) } as Record<string, unknown>;
    const adaptive = {
      ...((metadata.adaptive as Record<string, unknown> | undefined) ?? {}),
      check_id: check
    };
    metadata.adaptive = adaptive;
    if (
      cell.cell_type === 'code' &&
      gradedCell('code', metadata)?.role === 'tests'
    ) {
      metadata.jupyter = {
        ...((metadata.jupyter as Record<string, unknown> | undefined) ?? {}),
        outputs_hidden: true
      };
    }
    return { ...cell, metadata } as nbformat.ICell;
  });
}
