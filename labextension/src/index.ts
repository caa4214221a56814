/**
 * jupyter-adaptive: records graded-cell attempts (consent permitting), keeps them in an outbox
 * until the server has them, shows feedback under the cell and the learner's own mastery.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { AdaptiveClient } from './client';
import { CommandIDs } from './commands';
import { ConsentGate } from './consent';
import { appealEvent, consentEvent, notebookPlace } from './events';
import { CheckInController } from './checkin';
import { FeedbackController } from './feedback';
import { masteryIcon } from './icons';
import { openLearnerStorage } from './learnerstorage';
import { clearAtLogout } from './logout';
import { deleteMyData, downloadMyData } from './mydata';
import { Outbox } from './queue';
import { AttemptRecorder } from './recorder';
import { CONSENT_LEVELS, ConsentLevel } from './tokens';
import { askConsent } from './widgets/ConsentDialog';
import { MasteryPanel } from './widgets/MasteryPanel';
import { skillName } from './widgets/SkillMeter';
import { QueueStatus } from './widgets/QueueStatus';
import { RefusalNotice } from './widgets/RefusalNotice';

const PLUGIN_ID = 'jupyter-adaptive:plugin';

/** Settings as the schema (`schema/plugin.json`) defines them. */
interface AdaptiveSettings {
  consent: Record<string, ConsentLevel>;
  draftMaxBytes: number;
  draftDelayMs: number;
}

const DEFAULTS: AdaptiveSettings = {
  consent: {},
  draftMaxBytes: 20_000,
  draftDelayMs: 2_000
};

function readSettings(
  settings: ISettingRegistry.ISettings | null
): AdaptiveSettings {
  const composite = (settings?.composite ?? {}) as Partial<AdaptiveSettings>;
  const consent = Object.fromEntries(
    Object.entries(composite.consent ?? {}).filter(([, level]) =>
      CONSENT_LEVELS.includes(level)
    )
  );
  return { ...DEFAULTS, ...composite, consent };
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Records graded-cell attempts, shows feedback and the next exercise, and the learner’s mastery.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry, ITranslator, ICommandPalette, IStatusBar],
  activate: async (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    registry: ISettingRegistry | null,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    statusBar: IStatusBar | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyter_adaptive');
    const language = (translator ?? nullTranslator).languageCode;
    let settings: ISettingRegistry.ISettings | null = null;
    if (registry) {
      try {
        settings = await registry.load(PLUGIN_ID);
      } catch (error) {
        console.warn(
          'jupyter-adaptive: settings unavailable, using defaults',
          error
        );
      }
    }
    const client = new AdaptiveClient(undefined, language);
    const { outboxStorage, progress } = await openLearnerStorage(
      {
        baseUrl: PageConfig.getBaseUrl(),
        hubUser: PageConfig.getOption('hubUser')
      },
      window.localStorage
    );
    const outbox = new Outbox({
      storage: outboxStorage,
      send: events => client.sendEvents(events)
    });
    clearAtLogout(app.commands, {
      outbox,
      storage: outboxStorage,
      progress
    });
    const consent = new ConsentGate({
      fetch: async course => (await client.consent(course)).level,
      ask: course => askConsent(trans, course, null, () => client.note(course)),
      record: async (course, level) => {
        try {
          await client.setConsent(course, level);
        } catch {
          // Server unreachable: the choice waits in the outbox, ahead of later events.
          await outbox.enqueue([consentEvent(course, level)]);
        }
        const remembered = readSettings(settings).consent;
        if (settings && remembered[course] !== level) {
          await settings.set('consent', { ...remembered, [course]: level });
        }
      },
      remembered: () => readSettings(settings).consent,
      forget: async courses => {
        const remembered = readSettings(settings).consent;
        if (settings && Object.keys(remembered).length > 0) {
          const kept = Object.entries(remembered).filter(
            ([course]) => courses !== null && !courses.includes(course)
          );
          await settings.set('consent', Object.fromEntries(kept));
        }
      }
    });
    // A level changed in the settings editor is a consent choice like any other; levels the
    // settings held before are not, however often the settings change.
    let remembered = readSettings(settings).consent;
    settings?.changed.connect(() => {
      const now = readSettings(settings).consent;
      for (const [course, level] of Object.entries(now)) {
        if (remembered[course] !== level && consent.held(course) !== level) {
          void consent.set(course, level);
        }
      }
      remembered = now;
    });

    const recorder = new AttemptRecorder({
      tracker,
      consent,
      outbox,
      progress,
      limits: () => readSettings(settings)
    });

    const panel = new MasteryPanel(
      trans,
      {
        load: () => client.mastery(),
        appeal: async estimate => {
          const answer = await InputDialog.getText({
            title: trans.__(
              'Tell your teacher why the estimate of %1 looks wrong',
              skillName(estimate)
            ),
            placeholder: trans.__(
              'For example: I solved these exercises without help.'
            )
          });
          if (!answer.button.accept || !answer.value?.trim()) {
            return false;
          }
          return recorder.send(
            estimate.course,
            appealEvent(estimate.course, estimate.skill, answer.value.trim())
          );
        },
        download: () => downloadMyData(client),
        erase: () => deleteMyData({ client, outbox, consent })
      },
      // Reasons render with a notebook's renderers (JupyterLab's, sanitizing).
      () => tracker.currentWidget?.content.rendermime ?? null
    );
    panel.title.icon = masteryIcon;
    app.shell.add(panel, 'right', { rank: 700 });

    const feedback = new FeedbackController({
      recorder,
      client,
      trans,
      hintsOpen: (course, item) => progress.hintsUsed(course, item),
      openMastery: () => app.commands.execute(CommandIDs.openMastery),
      language
    });
    const checkins = new CheckInController({
      tracker,
      consent,
      recorder,
      client,
      trans
    });
    outbox.delivered.connect((_, results) => {
      feedback.deliver(results);
      checkins.deliver(results);
      if (panel.isVisible) {
        void panel.refresh();
      }
    });
    const refusalNotice = new RefusalNotice(trans);
    outbox.refused.connect((_, refusal) => {
      const { events, status, message } = refusal;
      console.warn(
        `jupyter-adaptive: the server refused ${events.length} event(s) (${status}): ${message}`
      );
      refusalNotice.add(refusal);
      feedback.refuse(events, message);
      if (status === 409) {
        // The server holds no consent for these courses: this browser's memory is stale.
        for (const course of new Set(events.map(event => event.course))) {
          void consent.forget(course);
        }
      }
    });

    app.commands.addCommand(CommandIDs.changeConsent, {
      label: trans.__('Change adaptive learning consent'),
      caption: trans.__(
        'Choose what is recorded about your work in this course'
      ),
      execute: async () => {
        const notebook = tracker.currentWidget;
        const place =
          notebook?.model &&
          notebookPlace(notebook.model.metadata, notebook.context.path);
        const course =
          place?.course ?? Object.keys(readSettings(settings).consent)[0];
        if (!course) {
          await showErrorMessage(
            trans.__('No course'),
            trans.__(
              'Open a notebook of a course to choose what is recorded for it.'
            )
          );
          return;
        }
        const level = await askConsent(
          trans,
          course,
          consent.known(course),
          () => client.note(course)
        );
        if (level) {
          await consent.set(course, level);
        }
      }
    });
    app.commands.addCommand(CommandIDs.openMastery, {
      label: trans.__('Show my mastery'),
      execute: () => {
        app.shell.activateById(panel.id);
        void panel.refresh();
      }
    });
    app.commands.addCommand(CommandIDs.focusFeedback, {
      label: trans.__('Go to the feedback of this exercise'),
      execute: () => {
        const notebook = tracker.currentWidget?.content;
        return notebook ? feedback.focus(notebook) : false;
      }
    });
    app.commands.addCommand(CommandIDs.sendQueued, {
      label: trans.__('Send waiting learning events now'),
      execute: () => outbox.flush()
    });
    const category = trans.__('Adaptive learning');
    for (const command of Object.values(CommandIDs)) {
      palette?.addItem({ command, category });
    }

    if (statusBar) {
      const status = new QueueStatus(trans);
      statusBar.registerStatusItem('jupyter-adaptive:queue', {
        item: status,
        align: 'left',
        rank: 5
      });
      outbox.countChanged.connect((_, count) =>
        status.setCount(count, outbox.failures > 0)
      );
    }

    window.addEventListener('online', () => void outbox.flush());
    void outbox.flush();
    console.log('jupyter-adaptive: activated');
  }
};

export default plugin;
