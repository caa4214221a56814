/** The extension's icon: rising bars, for the learner's mastery panel. */
import { LabIcon } from '@jupyterlab/ui-components';

export const masteryIcon = new LabIcon({
  name: 'jupyter-adaptive:mastery',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16">' +
    '<g class="jp-icon3" fill="#616161">' +
    '<rect x="3" y="14" width="4" height="7" rx="1"/>' +
    '<rect x="10" y="9" width="4" height="12" rx="1"/>' +
    '<rect x="17" y="3" width="4" height="18" rx="1"/>' +
    '</g></svg>'
});
