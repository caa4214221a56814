import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { NotebookActions } from '@jupyterlab/notebook';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-adaptive:plugin',
  description: 'Records graded-cell attempts for adaptive learning.',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    console.log('jupyter-adaptive: activated');
    NotebookActions.executed.connect((_, { cell, success }) => {
      console.log(`jupyter-adaptive: executed ${cell.model.id} ${success}`);
    });
  }
};

export default plugin;
