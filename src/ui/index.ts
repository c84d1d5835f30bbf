/** @file Public surface of the shared panel. */
export { Panel, type PanelProps } from './Panel';
export { PanelController, reducer, initialState, type PanelState, type PanelAction, type StatusKind } from './controller';
export { DEFAULT_SETTINGS, defaultStore, loadSettings, saveSettings, normaliseSettings, type PanelSettings, type SettingsStore } from './settings';
