/**
 * Messages between the page (main.ts) and the tracing worker (worker.ts). Kept free of DOM and engine
 * imports so both sides can share it.
 */

/** Page → worker: trace this image with these options. */
export interface TraceRequest {
  type: 'trace';
  /** Run id chosen by the page; every answer repeats it so stale answers can be dropped. */
  id: number;
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, straight alpha (copied, the page keeps its own). */
  data: Uint8ClampedArray;
  /** Trace parameters (a full set, as shown by the controls). */
  options: Record<string, string | number | boolean | string[]>;
  /**
   * Shared cancel flag (one Int32 at index 0, non-zero means cancel), only when the page is
   * cross-origin isolated; otherwise the page cancels by terminating the worker.
   */
  cancelFlag?: SharedArrayBuffer;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'progress'; id: number; fraction: number }
  /** Paths written so far (the next ones after the previous batch), for drawing while the trace goes on. */
  | { type: 'paths'; id: number; paths: { d: string; fill: string }[] }
  | { type: 'result'; id: number; svg: string; width: number; height: number; pathCount: number; pixelArt: boolean; ms: number }
  | { type: 'aborted'; id: number }
  | { type: 'error'; id: number; name: string; message: string };
