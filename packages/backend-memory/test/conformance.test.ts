import { runConformance } from '@tapelog/conformance';
import { describe, test } from 'vitest';
import { createProvider } from '../src/index.js';

runConformance({ test, describe, factory: () => createProvider() });
