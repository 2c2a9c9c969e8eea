/** The writer suite against the inline writer. */
import { defineWriterSuite } from './writer-suite.js';

defineWriterSuite('inline');
