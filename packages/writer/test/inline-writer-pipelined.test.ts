/** The writer suite against the inline writer over a backend that declares pipelinedAppends (it still commits one batch at a time). */
import { defineWriterSuite } from './writer-suite.js';

defineWriterSuite('inline', { pipelinedAppends: true });
