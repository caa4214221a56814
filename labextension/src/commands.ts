/** Command ids of the extension, one place for the palette, menus and tests. */
export namespace CommandIDs {
  export const changeConsent = 'adaptive:change-consent';
  export const openMastery = 'adaptive:open-mastery';
  export const sendQueued = 'adaptive:send-queued';
  export const focusFeedback = 'adaptive:focus-feedback';
}

/** JupyterLab's logout commands: the learner's browser storage is cleared before they run. */
export namespace LogoutCommandIDs {
  /** File > Log Out on JupyterHub (@jupyterlab/hub-extension). */
  export const hub = 'hub:logout';
  /** File > Log Out of jupyter_server's own login (@jupyterlab/mainmenu-extension). */
  export const server = 'filemenu:logout';
}
