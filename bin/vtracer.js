#!/usr/bin/env node
// Thin launcher so that `npx vtracer` works right after `npm install` (which builds dist/ via `prepare`).
//
// First the Node check, in syntax any Node parses: the package needs a Node that can require() ES modules
// (engines: >=22.12; 20.19 and later on the 20 line can too), and on an older one a user would meet some
// unrelated module error instead, or a command that half works. The CLI is imported dynamically, after the check.
var features = process.features || {};
var version = process.versions.node.split('.').map(Number);
var byDefault = version[0] >= 23 || (version[0] === 22 && version[1] >= 12) || (version[0] === 20 && version[1] >= 19);
if (features.require_module === false || (features.require_module === undefined && !byDefault)) {
  process.stderr.write('vtracer: needs Node.js 22.12 or later, one that can require() ES modules'
    + (byDefault ? ' (turned off here, by --no-experimental-require-module?)' : '')
    + '; this is Node.js ' + process.version + '\n');
  process.exit(1);
}
import('../dist/src/cli/main.js');
