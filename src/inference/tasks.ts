/**
 * @file Yielding to the event loop between steps of long work. An `await` on a resolved promise
 * only runs microtasks: a Worker's "cancel" message, UXP's `onCancel` from Photoshop's progress
 * dialog, or a click in a page cannot be handled until a macrotask boundary is reached. The
 * pipeline and the model loaders call `nextTask()` between steps so that those can run.
 */

/** Resolves on a fresh macrotask (setTimeout 0: every host here has it, UXP included). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** One stage of loading a model, with the fraction of the whole load done (0..1). */
export interface LoadProgress {
  readonly fraction: number;
  /** What is happening, for the status line: "downloading the model (3.1 of 6.5 MB)". */
  readonly stage: string;
}

export type LoadProgressFn = (p: LoadProgress) => void;
