/** Command ids of the extension, one place for the palette, menus and tests. */
export namespace CommandIDs {
  export const changeConsent = 'adaptive:change-consent';
  export const openMastery = 'adaptive:open-mastery';
  export const sendQueued = 'adaptive:send-queued';
}
