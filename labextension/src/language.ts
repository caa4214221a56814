/**
 * Course content in the learner's language: a course may translate an exercise's hints next to
 * the originals, as `hints_<language>` in `metadata.adaptive` (`hints_es`; see courses/README.md).
 */

/** The code course files use for a JupyterLab language: `es` for `es-ES` or `es_ES`. */
export function contentLanguage(languageCode: string): string {
  return languageCode.split(/[-_]/)[0].toLowerCase();
}

/**
 * The hints of a cell's `metadata.adaptive` in the learner's language, or null when the course
 * did not translate them (as many texts as the original hints, or none).
 */
export function translatedHints(
  metadata: Record<string, unknown>,
  languageCode: string
): string[] | null {
  const adaptive = metadata.adaptive;
  if (adaptive === null || typeof adaptive !== 'object') {
    return null;
  }
  const record = adaptive as Record<string, unknown>;
  const hints = record[`hints_${contentLanguage(languageCode)}`];
  if (
    !Array.isArray(hints) ||
    !hints.every(h => typeof h === 'string' && h !== '') ||
    !Array.isArray(record.hints) ||
    hints.length !== record.hints.length
  ) {
    return null;
  }
  return hints as string[];
}
