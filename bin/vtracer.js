#!/usr/bin/env node
// Thin launcher so that `npx vtracer` works right after `npm install` (which builds dist/ via `prepare`).
import '../dist/src/cli/main.js';
