#!/usr/bin/env node
// Thin entry: registers the TypeScript loader, then hands the process to the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main();
