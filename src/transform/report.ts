/** What a transform may say about the story it changes (the reading context is one). */
import type { DiagnosticCode } from '../diagnostics.js';
import type { LossCode } from '../read/fidelity.js';

/** The reading context's messages and loss tally, as a transform sees them. */
export interface TransformReport {
  /** Say a warning about the story. */
  message(code: DiagnosticCode, text: string): void;
  /** Say something worth knowing that is no problem. */
  info(code: DiagnosticCode, text: string): void;
  /** Count `n` of kind `code` in the fidelity tally (see `read/fidelity.ts`). */
  lose(code: LossCode, n?: number, example?: string): void;
}
