/**
 * @file Model manifest and runner contract. Only src/inference/* may import onnxruntime.
 *
 * ONNX model I/O contract (every shipped model and the test fixture follow it):
 *   inputs:  "image" float32 [1, 3, H, W], RGB in [0, 1]. Holes model: hole pixels are ignored
 *            (the partial convolutions never read them). Mosaic model: hole pixels hold the mosaic.
 *            "mask"  float32 [1, 1, H, W], 1 = known pixel, 0 = hole.
 *   output:  "output" float32 [1, 3, H, W], RGB in [0, 1] (the pipeline keeps only hole pixels).
 *   H and W are dynamic, multiples of `input.multiple`.
 *
 * Colorize models (kind 'colorize') use the same three tensors for another job:
 *   "image"  = (Y, 0.5 + Cb/2, 0.5 + Cr/2): the page's luma and the hint chroma (0.5 where no hint);
 *   "mask"   = 1 where the user gave a colour hint, 0 elsewhere;
 *   "output" = (Y, 0.5 + Cb/2, 0.5 + Cr/2) of the colour page (core/colorize.ts keeps only Cb, Cr).
 */

export type ModelKind = 'bar' | 'mosaic' | 'colorize';

/** How a mosaic model wants the mosaic (ModelInfo.input.mosaic). */
export type MosaicInput = 'raw' | 'block-prior';

export interface ModelInfo {
  readonly name: string; // e.g. "pconv-bar"
  readonly file: string; // relative to the manifest's folder
  readonly kind: ModelKind;
  readonly input: {
    readonly layout: 'NCHW';
    readonly channels: 3;
    readonly range: readonly [number, number]; // [0, 1]
    /** Side the model was trained at; context boxes are at least this big. */
    readonly size: number;
    /** Largest side run in one call; larger boxes are downscaled to this. */
    readonly maxSide: number;
    /** H and W must be multiples of this. */
    readonly multiple: number;
    /**
     * Mosaic models only: what the hole pixels of "image" hold. 'raw' (default when absent): the
     * pixelated page as it is. 'block-prior': the block means of the detected mosaic grid
     * interpolated bilinearly and projected back onto the block means (src/core/mosaic.ts,
     * training/masks.py `mosaic_prior`); the pipeline then projects the model's fill onto the
     * block means too.
     */
    readonly mosaic?: MosaicInput;
    /**
     * Bar models only: 'known-pixels' when the model was trained with guide strokes given as
     * known pixels (training/masks.py `simulate_guide`): the pipeline then shows it the guide's
     * black ink strokes inside the hole as known black pixels (the colour dots are known pixels
     * for every model). Such a model is exported without compositing: its "output" at known
     * pixels is its own (on the ink pixels, the page's line it predicts, which the pipeline keeps;
     * every other known pixel the pipeline keeps itself). Absent: the ink is only drawn over the
     * fill afterwards.
     */
    readonly guides?: 'known-pixels';
    /**
     * Bar models only: 'classical' when the model corrects the classical fill (training/train.py
     * --fsr-prior): the pipeline writes src/core/fsr.ts's fill into the hole pixels of "image"
     * (every pixel is read, the mask tells the hole apart, as for mosaic models) and keeps the
     * model's output — the fill plus the learned correction — in the whole hole. Absent: hole
     * pixels are ignored and the pipeline mixes the classical fill and the network's itself.
     */
    readonly prior?: 'classical';
  };
  readonly sha256: string;
  readonly licence: string;
  readonly training?: string;
  readonly params?: number;
}

/**
 * What a fill wants of its model besides the kind: `guides` — the fill has guide ink strokes in the
 * hole, so a model trained with guides (input.guides) is preferred; without it, a model trained
 * without them. Either falls back to the other when the manifest has only one.
 */
export interface ModelWant {
  readonly guides?: boolean;
}

export interface ModelManifest {
  readonly models: readonly ModelInfo[];
}

export interface ModelRunner {
  readonly info: ModelInfo;
  /** Which backend actually runs: 'native-cpu' | 'webgpu' | 'wasm'. */
  readonly backend: string;
  /**
   * image: [3*H*W] planar RGB in [0,1]; mask: [H*W] 1 = known, 0 = hole.
   * Returns [3*H*W] planar RGB in [0,1].
   */
  run(image: Float32Array, mask: Float32Array, width: number, height: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}
