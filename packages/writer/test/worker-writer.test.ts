/** The writer suite against the worker-thread writer. */
import { defineWriterSuite } from './writer-suite.js';

defineWriterSuite('worker');
