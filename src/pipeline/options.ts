/**
 * @file The fill's options and their one validator each, shared by the pipeline, the jobs (panel
 * and page settings) and the CLI's flags: one rule and one message per option. Each validator
 * takes the name the user knows the option by (the panel's label, the CLI's flag) and throws
 * InpaintError('bad-input') with the same sentence everywhere:
 *   "<Name> must be auto or off (got "x")."   "<Name> must be an integer from 1 to 4 (got 9)."
 */
import { InpaintError } from '../core/types';

/** A step that runs when it can help ('auto') or never ('off'). */
export type AutoOff = 'auto' | 'off';
export const AUTO_OFF: readonly AutoOff[] = ['auto', 'off'];

/** How holes are filled: see InpaintOptions.fill. */
export type FillMethod = 'auto' | 'model' | 'classical';
export const FILL_METHODS: readonly FillMethod[] = ['auto', 'model', 'classical'];

/** Result layers (or files) per page; variation k > 0 runs the model on a flipped copy. */
export const MAX_VARIATIONS = 4;

/** "a", "a or b", "a, b or c". */
export function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** `value` if it is one of `allowed`; else InpaintError('bad-input') "<name> must be a or b (got "x")." */
export function checkChoice<T extends string>(name: string, allowed: readonly T[], value: unknown): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const got = typeof value === 'string' ? `"${value}"` : String(value);
  throw new InpaintError('bad-input', `${name} must be ${listWords(allowed)} (got ${got}).`);
}

/** `value` if it is an integer in [lo, hi]; else InpaintError('bad-input') "<name> must be an integer from lo to hi (got v)." */
export function checkInteger(name: string, lo: number, hi: number, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= lo && value <= hi) return value;
  throw new InpaintError('bad-input', `${name} must be an integer from ${lo} to ${hi} (got ${typeof value === 'string' ? `"${value}"` : String(value)}).`);
}

export const checkFill = (value: unknown, name = 'Fill'): FillMethod => checkChoice(name, FILL_METHODS, value);
export const checkTexture = (value: unknown, name = 'Texture'): AutoOff => checkChoice(name, AUTO_OFF, value);
/** Line continuation (the structure layer): the CLI's --lines. */
export const checkLines = (value: unknown, name = 'Lines'): AutoOff => checkChoice(name, AUTO_OFF, value);
/** Number of variations, 1..MAX_VARIATIONS. */
export const checkVariations = (value: unknown, name = 'Variations'): number => checkInteger(name, 1, MAX_VARIATIONS, value);
/** Index of one variation, 0..MAX_VARIATIONS-1 (the pipeline's `variation`). */
export const checkVariation = (value: unknown, name = 'variation'): number => checkInteger(name, 0, MAX_VARIATIONS - 1, value);
