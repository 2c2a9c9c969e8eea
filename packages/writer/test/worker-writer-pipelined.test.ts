/** The writer suite against the worker-thread writer over a backend that declares pipelinedAppends. */
import { defineWriterSuite } from './writer-suite.js';

defineWriterSuite('worker', { pipelinedAppends: true });
